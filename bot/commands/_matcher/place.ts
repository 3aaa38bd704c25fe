import { tokenize } from '../tokenize.js';
import type { Analysis, Entity } from './analyze.js';
import type { AnyCommand } from '../types.js';
import { fit, type CommandProfile, type Slot, type SlotKind } from './profile.js';

export interface Placement {
  /** Slot key → value (`true` for a switch). */
  values: Record<string, string | true>;
  /** Sum of how well each placed value fits its slot. */
  fitScore: number;
  /** Values the admin typed that no slot of this command takes (a sign the command is not the one meant). */
  dropped: Entity[];
  /** Unknown words (likely a name) that no slot takes. */
  droppedWords: number;
  /** A user slot holds a UPN or an object id the admin typed. */
  typedUser: boolean;
  /** Required slots left empty. */
  missing: string[];
}

/** Values that are unmistakably typed on purpose: losing one means the command is probably wrong. */
const STRONG: ReadonlySet<string> = new Set([
  'upn',
  'guid',
  'phone',
  'hexid',
  'sku',
  'policyType',
  'number',
  'duration',
  'quoted',
  'name',
  'role',
  'reason',
  'phoneType',
]);

/** Exact-kind slots first (a phone number has one place), then users, then names and free text. */
const ORDER: SlotKind[] = [
  'sku',
  'policyType',
  'phone',
  'hexid',
  'guid',
  'state',
  'since',
  'count',
  'minutes',
  'duration',
  'reason',
  'phoneType',
  'service',
  'user',
  'team',
  'group',
  'role',
  'objectName',
  'text',
];

const ordered = new WeakMap<CommandProfile, Slot[]>();

function placingOrder(profile: CommandProfile): Slot[] {
  let slots = ordered.get(profile);
  if (!slots) {
    slots = [...profile.slots].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
    ordered.set(profile, slots);
  }
  return slots;
}

/** "to alice", "from bob", "for Bob Berg": the word before a value that marks it as the target user. */
const TARGET_MARKERS = new Set(['to', 'from', 'for', 'of', 'on']);

function valueFor(slot: SlotKind, entity: Entity): string {
  const duration = /^(\d+)([mhdw])$/.exec(entity.value);
  if (slot === 'minutes' && duration) {
    return String(Number(duration[1]) * ({ m: 1, h: 60, d: 1440, w: 10080 }[duration[2]] ?? 1));
  }
  if (slot === 'since' && duration?.[2] === 'w') return `${Number(duration[1]) * 7}d`;
  return entity.value;
}

/** Puts the values of the text into the command's slots, best fit first, in the order the admin said them. */
export function place(profile: CommandProfile, analysis: Analysis): Placement {
  const values: Record<string, string | true> = {};
  const used = new Set<Entity>();
  let fitScore = 0;
  let typedUser = false;
  for (const slot of placingOrder(profile)) {
    if (slot.kind === 'switch') {
      const concepts = slot.concepts ?? [];
      if (concepts.length > 0 && concepts.every((c) => analysis.concepts.has(c))) values[slot.key] = true;
      continue;
    }
    let best: { entity: Entity; score: number } | undefined;
    for (const entity of analysis.entities) {
      if (used.has(entity)) continue;
      let score = fit(slot.kind, entity.kind, entity.soft);
      if (score <= 0) continue;
      if (slot.kind === 'user' && entity.before && TARGET_MARKERS.has(entity.before)) score += 0.5;
      if (!best || score > best.score) best = { entity, score };
    }
    if (!best) continue;
    used.add(best.entity);
    values[slot.key] = valueFor(slot.kind, best.entity);
    if (slot.kind === 'user' && (best.entity.kind === 'upn' || best.entity.kind === 'guid')) typedUser = true;
    fitScore += best.score;
  }
  return {
    values,
    fitScore,
    typedUser,
    dropped: analysis.entities.filter((e) => !used.has(e) && STRONG.has(e.kind)),
    droppedWords: analysis.entities.filter((e) => !used.has(e) && e.kind === 'leftover' && !e.soft).length,
    missing: profile.slots.filter((s) => s.required && values[s.key] === undefined).map((s) => s.key),
  };
}

/** A value as one word of command text: bare when it can be, else quoted so `tokenize` gives it back whole. */
export function quoteWord(value: string): string | undefined {
  if (value.startsWith('--') || value.length === 0) return undefined;
  if (!/[\s"']/.test(value)) return value;
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return undefined;
}

function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * The command text for placed values: positionals in order (up to the first empty one), then flags. Returns
 * undefined when a value cannot be written so that it reads back as the same word.
 */
export function render(profile: CommandProfile, values: Record<string, string | true>): string | undefined {
  return renderCommand(
    profile.command,
    values,
    profile.slots.filter((s: Slot) => !s.positional).map((s) => s.key),
  );
}

/** `render` for any of a command's arguments: `flags` in the order they are written. */
export function renderCommand(
  command: AnyCommand,
  values: Record<string, string | true>,
  flags: readonly string[],
): string | undefined {
  const words: string[] = [];
  const expected: string[] = [];
  const push = (value: string): boolean => {
    const word = quoteWord(value);
    if (word === undefined) return false;
    words.push(word);
    expected.push(value);
    return true;
  };
  const positional = command.args.positional.map((p) => p.replace('...', ''));
  for (const key of positional) {
    const value = values[key];
    if (typeof value !== 'string') break;
    if (!push(value)) return undefined;
  }
  for (const key of flags) {
    const value = values[key];
    if (value === undefined || positional.includes(key)) continue;
    words.push(flagOf(key));
    expected.push(flagOf(key));
    if (value !== true && !push(value)) return undefined;
  }
  const text = [command.name, ...words].join(' ');
  const back = tokenize(text).slice(command.name.split(' ').length);
  return back.length === expected.length && back.every((w, i) => w === expected[i]) ? text : undefined;
}
