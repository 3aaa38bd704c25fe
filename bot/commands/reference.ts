import { areaLabel, compareAreas } from './areas.js';
import { TIER_PRESENTATION } from './tiers.js';
import type { AnyCommand } from './types.js';

/**
 * The command reference (COMMANDS.md), generated from the descriptors so it cannot drift: what each command does,
 * its syntax, its tier and what that tier asks for, and the delegated Microsoft Graph permissions to consent.
 */
export function commandReference(commands: readonly AnyCommand[]): string {
  const byArea = new Map<string, AnyCommand[]>();
  for (const command of commands) byArea.set(command.area, [...(byArea.get(command.area) ?? []), command]);
  const scopes = [...new Set(commands.flatMap((c) => c.scopes))].sort();
  const lines = [
    '# Command reference',
    '',
    '<!-- Generated from the command descriptors by `npm run docs:commands`; a test fails when it is out of date. -->',
    '',
    'Tiers: **read** — signed in with an admin role; **write** — plus MFA within 15 minutes; **dangerous** — ' +
      'plus MFA within',
    '5 minutes and a second admin\'s approval (give `--reason "…"` and optionally `--ticket …`).',
    '',
    `Delegated Microsoft Graph permissions the bot needs for all commands (${scopes.length}): ${scopes.map((s) => `\`${s}\``).join(', ')}.`,
    '',
  ];
  for (const [area, list] of [...byArea.entries()].sort(([a], [b]) => compareAreas(a, b))) {
    lines.push(
      `## ${areaLabel(area)}`,
      '',
      '| command | what it does | tier | Graph permissions |',
      '|---|---|---|---|',
    );
    for (const c of [...list].sort((a, b) => a.name.localeCompare(b.name))) {
      const tier = `${TIER_PRESENTATION[c.tier].label}${c.personalOnly ? ' · 1:1 chat only' : ''}`;
      const usage = `\`${c.usage.replace(/\|/g, '\\|')}\``;
      lines.push(
        `| ${usage} | ${c.summary.replace(/\|/g, '\\|')} | ${tier} | ${c.scopes.map((s) => `\`${s}\``).join(', ') || '—'} ` +
          `|`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
