/**
 * Who an approval request affects, as read from Graph when it was made (the object the requester's sign-in
 * resolved, pinned by id). Stored as JSON in `approvals.resolved_target`; a row from before this format, or of a
 * command without a directory target, holds a plain description instead.
 */
export interface PinnedTarget {
  /** The user principal name Graph returned for the pinned object: what the approver checks. */
  upn: string;
  id: string;
  /** Chosen by whoever may edit the profile: shown, but as the directory's text, not as the identity. */
  displayName: string;
  /** The command's other arguments (redacted), `—` when none. */
  rest: string;
}

const FORMAT = 'pinned-target/1';

export function encodePinnedTarget(target: PinnedTarget): string {
  return JSON.stringify({ format: FORMAT, ...target });
}

/** The pinned target of a stored row, or undefined when the row holds a plain description. */
export function decodePinnedTarget(stored: string): PinnedTarget | undefined {
  if (!stored.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(stored) as Partial<PinnedTarget> & { format?: unknown };
    if (value.format !== FORMAT || typeof value.upn !== 'string' || typeof value.id !== 'string') return undefined;
    return {
      upn: value.upn,
      id: value.id,
      displayName: String(value.displayName ?? ''),
      rest: String(value.rest ?? '—'),
    };
  } catch {
    return undefined;
  }
}
