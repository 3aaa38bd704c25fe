import { z } from 'zod';
import type { CommandContext } from '../types.js';
import type { ListPage } from './list.js';

/**
 * Rows on one list card. Each row of the shared list card costs ~0.5 KB of card structure before its text, and
 * Teams refuses cards over ~28 KB, so 25 rows leave room for names and details.
 */
export const LOCAL_PAGE_SIZE = 25;

/** Add to a list command's schema when Graph returns the whole (small, bounded) collection at once. */
export const pageArg = { page: z.coerce.number().int().min(1).max(200).optional() };

/**
 * One card-sized page of a collection Graph answers in a single response (role definitions, SKUs, services,
 * authentication contexts): there is no nextLink to keep, so "More" simply asks for the next page number again.
 */
export function localPage<T>(
  ctx: CommandContext,
  items: readonly T[],
  page = 1,
  pageSize = LOCAL_PAGE_SIZE,
): ListPage<T> {
  const start = (page - 1) * pageSize;
  const hasMore = start + pageSize < items.length;
  const more = hasMore ? `${ctx.request.text.replace(/\s--page(=|\s+)\S+/g, '')} --page ${page + 1}` : '';
  return { items: items.slice(start, start + pageSize), total: items.length, page, more };
}
