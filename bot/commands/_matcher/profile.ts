import { isSwitch, objectShape } from '../bind-args.js';
import type { AnyCommand } from '../types.js';
import { conceptsOf, primaryConcepts, type EntityKind } from './analyze.js';

/** What a command's argument holds, which decides the values it takes. */
export type SlotKind =
  | 'user'
  | 'team'
  | 'group'
  | 'objectName'
  | 'role'
  | 'sku'
  | 'policyType'
  | 'phone'
  | 'hexid'
  | 'guid'
  | 'text'
  | 'service'
  | 'state'
  | 'since'
  | 'count'
  | 'minutes'
  | 'duration'
  | 'reason'
  | 'phoneType'
  | 'switch';

export interface Slot {
  key: string;
  kind: SlotKind;
  positional: boolean;
  rest: boolean;
  required: boolean;
  /** For switches: the concepts that turn it on (`--owners` ← owner, `--readonly-site` ← archive + site). */
  concepts?: string[];
}

/** A command as the matcher sees it: the concepts of its name, of its description, and its argument slots. */
export interface CommandProfile {
  command: AnyCommand;
  /** Concepts of the canonical name and of each alias; a name is covered when all of its concepts are said. */
  names: string[][];
  nameConcepts: Set<string>;
  plurals: Set<string>;
  describes: Set<string>;
  slots: Slot[];
}

const POSITIONAL_KINDS: Record<string, SlotKind> = {
  user: 'user',
  team: 'team',
  group: 'group',
  role: 'role',
  sku: 'sku',
  type: 'policyType',
  number: 'phone',
  id: 'hexid',
  approvalId: 'guid',
  text: 'text',
  service: 'service',
  state: 'state',
};

const FLAG_KINDS: Record<string, SlotKind> = {
  user: 'user',
  since: 'since',
  last: 'count',
  minutes: 'minutes',
  for: 'duration',
  reason: 'reason',
  type: 'phoneType',
};

function positionalKind(command: AnyCommand, name: string): SlotKind | undefined {
  if (name === 'name') return command.area === 'groups' ? 'group' : 'objectName';
  return POSITIONAL_KINDS[name];
}

function slotsOf(command: AnyCommand): Slot[] {
  const shape = objectShape(command.args.schema);
  const positionalKeys = command.args.positional.map((p) => p.replace('...', ''));
  const slots: Slot[] = [];
  command.args.positional.forEach((p) => {
    const key = p.replace('...', '');
    const kind = positionalKind(command, key);
    // Arguments the matcher cannot place (a schedule's timing): the command is offered with help instead.
    if (!kind) return;
    slots.push({ key, kind, positional: true, rest: p.endsWith('...'), required: !shape[key]?.isOptional() });
  });
  for (const key of Object.keys(shape)) {
    if (positionalKeys.includes(key)) continue;
    if (isSwitch(shape, key)) {
      const words = key.replace(/([A-Z])/g, ' $1').toLowerCase();
      slots.push({
        key,
        kind: 'switch',
        positional: false,
        rest: false,
        required: false,
        concepts: primaryConcepts(words),
      });
      continue;
    }
    const kind = FLAG_KINDS[key];
    if (kind) slots.push({ key, kind, positional: false, rest: false, required: !shape[key].isOptional() });
  }
  return slots;
}

export function profileOf(command: AnyCommand): CommandProfile {
  const names = [command.name, ...(command.aliases ?? [])].map(conceptsOf);
  const description = conceptsOf(`${command.summary} ${command.usage} ${command.area}`);
  return {
    command,
    names: names.map((n) => n.concepts),
    nameConcepts: new Set(names.flatMap((n) => n.concepts)),
    plurals: new Set(names.flatMap((n) => n.plurals)),
    describes: new Set(description.concepts),
    slots: slotsOf(command),
  };
}

const FITS: Partial<Record<SlotKind, Partial<Record<EntityKind, number>>>> = {
  user: { upn: 2, guid: 1.5, quoted: 1, name: 1, leftover: 1 },
  team: { quoted: 2, name: 2, guid: 1, leftover: 1 },
  group: { quoted: 2, name: 2, guid: 1, leftover: 1 },
  objectName: { quoted: 2, name: 2, guid: 1, leftover: 1 },
  role: { role: 2, quoted: 1.5, name: 1.5, guid: 1, leftover: 0.8 },
  text: { quoted: 1.5, name: 1.5, role: 0.3, leftover: 1 },
  service: { service: 2, quoted: 1, name: 1, leftover: 0.5 },
  since: { duration: 2 },
  duration: { duration: 2 },
  minutes: { duration: 2, number: 1 },
  count: { number: 2 },
  sku: { sku: 2 },
  policyType: { policyType: 2 },
  phone: { phone: 2 },
  hexid: { hexid: 2 },
  guid: { guid: 2 },
  state: { state: 2 },
  reason: { reason: 2 },
  phoneType: { phoneType: 2 },
};

/** Soft leftovers (words that are also request words) fit only where free text is expected. */
const SOFT_FITS: Partial<Record<SlotKind, number>> = { text: 0.8, team: 0.3, group: 0.3, objectName: 0.3, role: 0.3 };

/** How well a value fits a slot: 2 exactly what it holds (a UPN for a user), 1 plausible (a name), 0 not at all. */
export function fit(slot: SlotKind, kind: EntityKind, soft = false): number {
  if (kind === 'leftover' && soft) return SOFT_FITS[slot] ?? 0;
  return FITS[slot]?.[kind] ?? 0;
}
