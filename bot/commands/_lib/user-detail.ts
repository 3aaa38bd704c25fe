import type { TrustedMarkdown } from '../../cards/plain-text.js';
import type { CommandOutput } from '../types.js';

export interface DetailRow {
  title: string;
  detail: string;
  badge: string;
  /** Adaptive Card colour: Good, Warning, Attention, Accent, Default. */
  badgeColor: string;
}

export interface UserDetailView {
  title: string;
  /** Who the card is about, e.g. `userLabel(user)`. */
  subtitle: string;
  status: string;
  /** Good, Warning, Attention, Default. */
  statusColor: string;
  facts?: Array<{ title: string; value: string }>;
  rows?: DetailRow[];
  /** Plain text, or Markdown written in code (`markdown` tag). */
  note?: string | TrustedMarkdown;
  /** Graph's request-id of the write, shown on the card for support cases and the audit trail. */
  requestId?: string;
  /** A secret shown once (TAP, new password): only commands with `personalOnly: true` may set it. */
  secret?: { label: string; value: string; note: string };
  actions?: Array<{ title: string; text: string }>;
  /** Plain-text summary (notification, fallback). Never put the secret here: it would show in toasts. */
  text: string;
}

/**
 * The shared card of commands about one user (`cards/user-detail.json`): status first, then a secret if any,
 * facts, per-item rows (e.g. each deleted method), a note, the request-id and follow-up actions.
 */
export function userDetailOutput(view: UserDetailView): CommandOutput {
  return {
    card: 'user-detail',
    data: {
      title: view.title,
      subtitle: view.subtitle,
      status: view.status,
      statusColor: view.statusColor,
      secret: view.secret?.value ?? '',
      secretLabel: view.secret?.label ?? '',
      secretNote: view.secret?.note ?? '',
      facts: view.facts ?? [],
      rows: view.rows ?? [],
      note: view.note ?? '',
      requestId: view.requestId ?? '',
      actions: view.actions ?? [],
    },
    text: view.text,
  };
}

/** `2026-11-26T10:00:00Z` → `2026-11-26 10:00 UTC`; missing values read as "never". */
export function formatTime(iso: unknown, missing = 'never'): string {
  if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) return missing;
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
