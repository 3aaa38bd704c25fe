import type { AnyCommand } from '../commands/types.js';

/**
 * Commands whose role re-check may run alongside their first Graph request: reads that only read Graph (they
 * declare Graph scopes; the store-backed reads — audit, approvals, schedules — declare none, and some of them change
 * the store, so they keep check-then-run), and not the PIM commands open to eligible-only admins, whose check takes a
 * second Graph request. Writes and dangerous commands always wait for the check.
 */
export function mayCheckRolesAlongside(command: AnyCommand): boolean {
  return command.tier === 'read' && command.scopes.length > 0 && !command.eligibleAdmins;
}

/** How long "held an admin role at the last check" is trusted as a hint. */
const HINT_MS = 10 * 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Users (object ids) who held an admin role when they were last checked, for a few minutes. Only a hint for *when*
 * to check (alongside the read, or before it): it never replaces the check, so someone who was never an admin here
 * has no Graph request sent on their behalf before they are refused, and a stale entry costs one discarded read.
 */
export class RecentAdmins {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  has(oid: string): boolean {
    const at = this.seen.get(oid.toLowerCase());
    return at !== undefined && this.now() - at < HINT_MS;
  }

  remember(oid: string): void {
    const key = oid.toLowerCase();
    this.seen.delete(key);
    this.seen.set(key, this.now());
    // Insertion order is age order: drop the oldest beyond the bound.
    if (this.seen.size > MAX_ENTRIES) this.seen.delete(this.seen.keys().next().value!);
  }

  forget(oid: string): void {
    this.seen.delete(oid.toLowerCase());
  }
}
