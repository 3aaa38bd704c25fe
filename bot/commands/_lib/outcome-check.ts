import type { CommandRegistry } from '../registry.js';
import { tokenize } from '../tokenize.js';
import type { AnyCommand } from '../types.js';

/**
 * The read command that shows whether a write whose outcome is unknown (timeout, broken connection, gateway
 * failure) took effect. `{n}` is the n-th argument as the admin typed it, so the suggestion names the same user,
 * group or team. A write missing here gets a generic "check before trying again".
 */
const CHECKS: Record<string, string> = {
  'user block': 'user {0}',
  'user unblock': 'user {0}',
  'admin block': 'user {0}',
  'admin unblock': 'user {0}',
  'user delete': 'user {0}',
  'user revoke': 'directory audit --user {0}',
  'user password reset': 'directory audit --user {0}',
  'user tap': 'user methods {0}',
  'user mfa reset': 'user methods {0}',
  'user permfa set': 'user permfa {0}',
  'group add': 'group members {0}',
  'group remove': 'group members {0}',
  'license assign': 'user licenses {0}',
  'license remove': 'user licenses {0}',
  'team add': 'team members {0}',
  'team remove': 'team members {0}',
  'team archive': 'team {0}',
  'team unarchive': 'team {0}',
  'pim activate': 'pim active',
  'pim approve': 'directory audit',
  'phone assign': 'phone numbers {1}',
  'phone unassign': 'phone numbers {0}',
  'policy grant': 'teams config {0}',
  'policy revoke': 'teams config {0}',
  'approval approve': 'approval {0}',
  'approval reject': 'approval {0}',
};

/** E.g. `user alice@contoso.com` after `user block alice@contoso.com` timed out; undefined when unknown. */
export function outcomeCheckFor(
  registry: CommandRegistry,
  command: AnyCommand | undefined,
  requestText: string | undefined,
): string | undefined {
  const template = command ? CHECKS[command.name] : undefined;
  if (!template || !command) return undefined;
  let args: string[] = [];
  try {
    const words = tokenize(requestText ?? '');
    const matched = registry.match(words.map((w) => w.toLowerCase()));
    args = words.slice(matched?.command === command ? matched.consumed : 0).filter((w) => !w.startsWith('--'));
  } catch {
    args = [];
  }
  const filled = template.replace(/\{(\d)\}/g, (_, i: string) => {
    const value = args[Number(i)];
    if (value === undefined) return `<${i === '0' ? 'target' : 'value'}>`;
    return /\s/.test(value) ? `"${value.replace(/"/g, '')}"` : value;
  });
  return filled;
}
