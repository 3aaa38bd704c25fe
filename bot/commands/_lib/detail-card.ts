import type { CommandOutput } from '../types.js';

export interface Fact {
  title: string;
  value: string;
}

export interface DetailView {
  title: string;
  subtitle: string;
  /** Short state on the right (Active, Archived, Done, Still running…) and its colour: Good, Warning, Attention. */
  status: string;
  statusColor: 'Good' | 'Warning' | 'Attention' | 'Accent' | 'Default';
  facts: Fact[];
  /** An optional second fact list under a heading (e.g. effective policies); `empty` shows when it has none. */
  section?: { title: string; empty: string; facts: Fact[] };
  note?: string;
  /** Follow-up commands, run through the same gate as typed ones. */
  actions?: Array<{ title: string; text: string }>;
  /** The plain-text summary (fallback text). */
  text: string;
}

/**
 * The `teams-detail` card: one object or one change, key facts first, a coloured state, follow-up actions.
 * Team, Teams user configuration and every Teams/voice write answer with it, so they read alike.
 */
export function detailOutput(view: DetailView): CommandOutput {
  return {
    card: 'teams-detail',
    data: {
      title: view.title,
      subtitle: view.subtitle,
      status: view.status,
      statusColor: view.statusColor,
      facts: view.facts,
      sectionTitle: view.section?.title ?? '',
      sectionEmpty: view.section?.empty ?? '',
      sectionFacts: view.section?.facts ?? [],
      note: view.note ?? '',
      actions: view.actions ?? [],
    },
    text: view.text,
  };
}
