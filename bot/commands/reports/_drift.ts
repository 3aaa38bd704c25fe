import type { Snapshot } from './_run.js';

const COUNT_LABELS: Record<string, string> = {
  users: 'Users',
  mfaCapable: 'MFA-capable users',
  withoutMfa: 'Users without MFA',
  passwordless: 'Passwordless-capable users',
  adminsWithoutMfa: 'Admins without MFA',
  holders: 'Role holders',
  globalAdmins: 'Global Administrators',
  eligibleOnly: 'Eligible-only role holders',
  seats: 'Licence seats',
  unassigned: 'Unassigned seats',
  licensedUsers: 'Licensed users',
  usersWithErrors: 'Users with licence errors',
};

const RISKY_LABELS: Record<string, string> = {
  adminsWithoutMfa: 'admins without MFA',
  globalAdmins: 'Global Administrators',
  usersWithLicenceErrors: 'users with licence assignment errors',
};

/** At most this many names per line; the rest are counted. */
const NAMES_PER_LINE = 10;

function countLabel(key: string): string {
  if (COUNT_LABELS[key]) return COUNT_LABELS[key];
  const [kind, name] = key.split(':', 2);
  if (kind === 'policy') return `Users with policy ${name}`;
  if (kind === 'source') return `Users whose policy comes from ${name}`;
  if (kind === 'assigned') return `Users with a non-default ${name}`;
  return key;
}

function names(entries: string[]): string {
  const shown = entries.slice(0, NAMES_PER_LINE).join(', ');
  return entries.length > NAMES_PER_LINE ? `${shown} (+${entries.length - NAMES_PER_LINE} more)` : shown;
}

/**
 * What changed between two snapshots of one report, one line each, people first: who entered or left a risky
 * bucket ("2 new admins without MFA: a, b"), then every count that moved ("Global Administrators 3 → 5"). A
 * count that a risky bucket already explains is not repeated.
 */
export function describeDrift(previous: Snapshot, current: Snapshot): string[] {
  const lines: string[] = [];
  for (const bucket of new Set([...Object.keys(previous.risky), ...Object.keys(current.risky)])) {
    const before = previous.risky[bucket] ?? {};
    const now = current.risky[bucket] ?? {};
    const label = RISKY_LABELS[bucket] ?? bucket;
    const added = Object.keys(now).filter((id) => !(id in before));
    const removed = Object.keys(before).filter((id) => !(id in now));
    if (added.length) lines.push(`${added.length} new ${label}: ${names(added.map((id) => now[id]))}`);
    if (removed.length) lines.push(`${removed.length} no longer ${label}: ${names(removed.map((id) => before[id]))}`);
  }
  for (const key of new Set([...Object.keys(previous.counts), ...Object.keys(current.counts)])) {
    const [a, b] = [previous.counts[key] ?? 0, current.counts[key] ?? 0];
    if (a === b) continue;
    const explained = key in current.risky || key in previous.risky;
    if (explained && key !== 'globalAdmins') continue;
    lines.push(`${countLabel(key)} ${a.toLocaleString('en-US')} → ${b.toLocaleString('en-US')}`);
  }
  return lines;
}
