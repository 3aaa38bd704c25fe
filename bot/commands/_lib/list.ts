import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CodedError, ErrorCode } from '../../errors.js';
import type { CommandContext } from '../types.js';
import { graphOf, sessionOf } from './context.js';

/** How long a "More" button keeps working. */
const CURSOR_TTL_MS = 30 * 60 * 1000;

/** Add to a list command's argument schema: `--cursor` is set by the card's "More" button, not typed. */
export const cursorArg = {
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/, 'is not a valid page cursor')
    .optional(),
};

export interface ListPage<T> {
  items: T[];
  /** `@odata.count` when Graph gave one (first page of a counted query). */
  total?: number;
  /** 1 for the first page. */
  page: number;
  /** The command text that fetches the next page (for the card's "More" button), or '' on the last page. */
  more: string;
}

/**
 * One page of a Graph collection. The first page is `path`; later pages come from a server-side cursor (the
 * nextLink and the headers Graph requires again, e.g. ConsistencyLevel) bound to the admin and the command, so a
 * card cannot be edited to fetch someone else's page or another URL. Only one page is ever held in memory,
 * whatever the tenant's size.
 */
export async function fetchListPage<T>(
  ctx: CommandContext,
  commandName: string,
  path: string,
  options: { cursor?: string; headers?: Record<string, string> } = {},
): Promise<ListPage<T>> {
  const graph = graphOf(ctx);
  const session = sessionOf(ctx);
  const store = ctx.services.store;
  if (!store) throw new CodedError(ErrorCode.Internal, 'Lists need the bot store.');
  let requestPath = path;
  let headers = options.headers ?? {};
  let page = 1;
  if (options.cursor) {
    const row = await store.db
      .selectFrom('list_cursors')
      .selectAll()
      .where('id', '=', options.cursor)
      .where('user_aad_id', '=', session.oid)
      .where('command_name', '=', commandName)
      .where('expires_at', '>', Date.now())
      .executeTakeFirst();
    if (!row)
      throw new CodedError(ErrorCode.NotFound, 'This list has expired. Run the command again for a fresh first page.');
    requestPath = graph.relativeLink(row.next_link);
    headers = JSON.parse(row.headers) as Record<string, string>;
    page = Number(row.page);
  }
  const response = await graph.get<{ value: T[]; '@odata.count'?: number; '@odata.nextLink'?: string }>(
    requestPath,
    headers,
  );
  const nextLink = response.body['@odata.nextLink'];
  let more = '';
  if (nextLink) {
    const id = randomBytes(12).toString('base64url');
    const now = Date.now();
    await store.db
      .insertInto('list_cursors')
      .values({
        id,
        user_aad_id: session.oid,
        command_name: commandName,
        next_link: nextLink,
        headers: JSON.stringify(headers),
        page: page + 1,
        created_at: now,
        expires_at: now + CURSOR_TTL_MS,
      })
      .execute();
    more = `${ctx.request.text.replace(/\s--cursor(=|\s+)\S+/g, '')} --cursor ${id}`;
  }
  return { items: response.body.value ?? [], total: response.body['@odata.count'], page, more };
}
