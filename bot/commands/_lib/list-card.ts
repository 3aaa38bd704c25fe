import type { CommandOutput } from '../types.js';
import type { ListPage } from './list.js';

export interface ListItem {
  title: string;
  detail: string;
  badge: string;
  /** Adaptive Card colour: Good, Warning, Attention, Accent, Default. */
  badgeColor: string;
  /** Command run when the row is clicked (same gate as typing it). */
  open: string;
}

/**
 * The shared list card: a title, "N of total · page p", rows with a status badge, and "More" when Graph has
 * another page. Lists of users, groups, teams, roles and numbers all look and page the same way.
 */
export function listOutput<T>(
  page: ListPage<T>,
  view: { title: string; noun: string; empty: string; row: (item: T) => ListItem },
): CommandOutput {
  const shown = page.items.length;
  const total = page.total !== undefined ? ` of ${page.total}` : '';
  const subtitle = `${shown}${total} ${view.noun} · page ${page.page}${page.more ? ' · more available' : ''}`;
  const items = page.items.map(view.row);
  return {
    card: 'list',
    data: { title: view.title, subtitle, empty: view.empty, items, more: page.more },
    text:
      shown === 0
        ? view.empty
        : `${view.title}: ${items.map((i) => i.title).join('; ')}${page.more ? ' (more available)' : ''}`,
  };
}
