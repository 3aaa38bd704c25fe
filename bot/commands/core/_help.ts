import { roleName } from '../../identity/roles.js';
import { AREAS, areaLabel, compareAreas } from '../areas.js';
import { TIER_PRESENTATION } from '../tiers.js';
import type { AnyCommand, CommandOutput } from '../types.js';

/**
 * The three help cards: the areas (one line and a button each), one area's commands (one line and a button
 * each), one command in full. Each stays short enough to read without scrolling far: the whole catalog in one
 * card was about 3,600 px tall in the Agents Playground.
 */

/** How many command names an area's line shows before "…". */
const AREA_SAMPLE = 4;

/** The commands by area, in help's order; commands by name within an area. */
export function byArea(commands: readonly AnyCommand[]): [string, AnyCommand[]][] {
  const areas = new Map<string, AnyCommand[]>();
  for (const command of commands) areas.set(command.area, [...(areas.get(command.area) ?? []), command]);
  return [...areas.entries()]
    .sort(([a], [b]) => compareAreas(a, b))
    .map(([area, list]) => [area, [...list].sort((a, b) => a.name.localeCompare(b.name))]);
}

/** The area `typed` names: its key (`users`) or its label (`Roles and PIM`), in any case. */
export function findArea(commands: readonly AnyCommand[], typed: string): string | undefined {
  const wanted = typed.toLowerCase().trim().replace(/\s+/g, ' ');
  const areas = new Set(commands.map((c) => c.area));
  return [...areas].find((area) => area === wanted || areaLabel(area).toLowerCase() === wanted);
}

/** What to type for a command's help: `help <name>`, or with `--command` where the name is also an area. */
function commandHelpText(command: AnyCommand, commands: readonly AnyCommand[]): string {
  return findArea(commands, command.name) ? `help ${command.name} --command` : `help ${command.name}`;
}

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;

export function overviewOutput(commands: readonly AnyCommand[]): CommandOutput {
  const areas = byArea(commands).map(([area, list]) => {
    const names = list.map((c) => c.name);
    const sample = names.slice(0, AREA_SAMPLE).join(', ') + (names.length > AREA_SAMPLE ? ', …' : '');
    return { label: areaLabel(area), count: plural(list.length, 'command'), sample, open: `help ${area}` };
  });
  return {
    card: 'help',
    data: {
      summary: `${plural(commands.length, 'command')} in ${plural(areas.length, 'area')}.`,
      areas,
    },
    text: `${areas.map((a) => `${a.label} (${a.open}): ${a.count}`).join('; ')}. Type "help <command>" for one.`,
  };
}

export function areaOutput(area: string, commands: readonly AnyCommand[]): CommandOutput {
  const list = byArea(commands).find(([key]) => key === area)?.[1] ?? [];
  return {
    card: 'help-area',
    data: {
      label: areaLabel(area),
      summary: `${plural(list.length, 'command')}. Tap one for its usage and examples.`,
      commands: list.map((c) => ({
        name: c.name,
        summary: c.summary,
        tierLabel: TIER_PRESENTATION[c.tier].label,
        tierColor: TIER_PRESENTATION[c.tier].color,
        open: commandHelpText(c, commands),
      })),
    },
    text: `${areaLabel(area)}: ${list.map((c) => c.name).join(', ')}. Type "help <command>" for one.`,
  };
}

/** What running the command asks of the admin, in the order the gate checks it. */
export function requirements(command: AnyCommand): string[] {
  if (command.public) return ['Nothing: anyone in the chat may run it, without signing in.'];
  const needs = [
    command.eligibleAdmins
      ? 'Sign-in with an admin role (a PIM-eligible one is enough).'
      : 'Sign-in with an active admin role.',
  ];
  if (command.roles?.length) needs.push(`One of these roles: ${command.roles.map(roleName).join(', ')}.`);
  if (command.mfaMaxAgeSeconds !== undefined) {
    needs.push(`MFA within the last ${Math.round(command.mfaMaxAgeSeconds / 60)} minutes.`);
  } else if (command.tier === 'write') needs.push('MFA within the last 15 minutes.');
  else if (command.tier === 'dangerous') needs.push('MFA within the last 5 minutes.');
  if (command.tier === 'dangerous') needs.push('A second admin\'s approval (give --reason "…").');
  if (command.personalOnly) needs.push('A 1:1 chat with the bot: the answer holds a secret.');
  return needs;
}

export function commandOutput(command: AnyCommand, commands: readonly AnyCommand[]): CommandOutput {
  const tier = TIER_PRESENTATION[command.tier];
  return {
    card: 'help-command',
    data: {
      name: command.name,
      summary: command.summary,
      usage: command.usage,
      examples: command.examples,
      needs: requirements(command),
      tierLabel: tier.label,
      area: areaLabel(command.area),
      aliases: command.aliases?.join(', ') || 'none',
      scopes: command.scopes.join(', ') || 'none',
      schedulable: command.schedulable ? 'yes (schedule add)' : 'no',
      openArea: `help ${command.area}`,
      areaCount: plural(commands.filter((c) => c.area === command.area).length, 'command'),
    },
    text: `${command.name}: ${command.summary} Usage: ${command.usage}. Needs: ${requirements(command).join(' ')}`,
  };
}

/** Every word help understands after `help`: area keys and labels, command names and aliases. */
export function helpTopics(commands: readonly AnyCommand[]): string[] {
  const areas = [...new Set(commands.map((c) => c.area))];
  return [
    ...areas,
    ...areas.filter((a) => AREAS[a]).map((a) => areaLabel(a).toLowerCase()),
    ...commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]),
  ];
}
