import { isGuid } from '../../graph/odata.js';
import { PRODUCT_NAMES } from '../licenses/_skus.js';
import {
  MFA_STATES,
  PHONE_TYPES,
  POLICY_TYPES,
  ROLE_NAMES,
  SERVICES,
  SINCE_PHRASES,
  STOPWORDS,
  stem,
} from './vocabulary.js';

/** What a piece of free text is, when it is a value rather than a word of the request. */
export type EntityKind =
  | 'upn'
  | 'guid'
  | 'phone'
  | 'hexid'
  | 'number'
  | 'duration'
  | 'sku'
  | 'policyType'
  | 'phoneType'
  | 'state'
  | 'role'
  | 'service'
  | 'quoted'
  | 'name'
  | 'reason'
  | 'leftover';

export interface Entity {
  kind: EntityKind;
  value: string;
  /** Position in the text (piece index), so slots can be filled in the order the admin said things. */
  at: number;
  /** The word before it (lowercase): "to", "from", "for" mark the target user. */
  before?: string;
  /** Leftover words that are also words of some descriptor (weaker as a value than unknown words). */
  soft?: boolean;
}

export interface Piece {
  raw: string;
  stem: string;
  at: number;
  /** Already taken by an entity or a concept phrase. */
  used?: boolean;
  entity?: Entity;
}

const UPN = /^[^\s@"']+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const PHONE = /^\+\d{4,15}$/;
const HEX_ID = /^(?=[0-9A-Fa-f]*\d)(?=[0-9A-Fa-f]*[A-Fa-f])([0-9A-Fa-f]{8}|[0-9A-Fa-f]{10})$/;
const DURATION = /^(\d{1,4})([mhdw])$/i;
const POLICY_TYPE = /^[A-Z][A-Za-z0-9]{2,79}(Policy|DialPlan)$|^CallingLineIdentity$/;
const SKU_SHAPE = /^[A-Z0-9]+(_[A-Z0-9]+)+$/;
const SKU_PARTS = new Map(Object.keys(PRODUCT_NAMES).map((part) => [part.toLowerCase(), part]));
const UNITS = new Map(
  Object.entries({ minute: 'm', min: 'm', hour: 'h', hr: 'h', day: 'd', week: 'w' }).map(([w, u]) => [stem(w), u]),
);

/** Words of free text, with quoted runs kept whole and the punctuation around words dropped. */
function splitWords(text: string): Array<{ raw: string; quoted: boolean }> {
  const out: Array<{ raw: string; quoted: boolean }> = [];
  const pattern = /"([^"]+)"|(?:^|(?<=\s))'([^']+)'(?=\s|$|[?.!,;:])|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[1] !== undefined || match[2] !== undefined) {
      out.push({ raw: (match[1] ?? match[2]).trim(), quoted: true });
      continue;
    }
    const word = match[3].replace(/^[([{"'`]+/, '').replace(/[)\]}"'`?!.,;:]+$/, '');
    if (word) out.push({ raw: word, quoted: false });
  }
  return out;
}

function classify(raw: string): { kind: EntityKind; value: string } | undefined {
  const bare = raw.replace(/['’]s$/i, '');
  if (UPN.test(bare)) return { kind: 'upn', value: bare };
  if (isGuid(bare)) return { kind: 'guid', value: bare.toLowerCase() };
  if (PHONE.test(bare)) return { kind: 'phone', value: bare };
  if (HEX_ID.test(bare) && !/^\d+$/.test(bare)) return { kind: 'hexid', value: bare.toUpperCase() };
  const duration = DURATION.exec(bare);
  if (duration) return { kind: 'duration', value: `${duration[1]}${duration[2].toLowerCase()}` };
  if (/^\d{1,6}$/.test(bare)) return { kind: 'number', value: bare };
  if (POLICY_TYPE.test(bare)) return { kind: 'policyType', value: bare };
  const part = SKU_PARTS.get(bare.toLowerCase());
  if (part || SKU_SHAPE.test(bare)) return { kind: 'sku', value: part ?? bare };
  return undefined;
}

/** Splits text into pieces: typed values become entities, the rest words (hyphenated words split). */
export function piecesOf(text: string): Piece[] {
  const pieces: Piece[] = [];
  for (const { raw, quoted } of splitWords(text)) {
    const at = pieces.length;
    if (quoted) {
      pieces.push({ raw, stem: '', at, used: true, entity: { kind: 'quoted', value: raw, at } });
      continue;
    }
    const entity = classify(raw);
    if (entity) {
      pieces.push({ raw, stem: '', at, used: true, entity: { ...entity, at } });
      continue;
    }
    for (const part of raw.split(/[-/]+/).filter(Boolean)) {
      const word = part.replace(/['’]s$/i, '');
      pieces.push({ raw: word, stem: stem(word), at: pieces.length });
    }
  }
  pieces.forEach((p, i) => {
    p.at = i;
    if (p.entity) {
      p.entity.at = i;
      p.entity.before = pieces[i - 1]?.raw.toLowerCase();
    }
  });
  return pieces;
}

/** Where `words` (stems; `*` = one to three pieces) occur from `start`; returns the matched piece indexes. */
export function matchForm(
  pieces: Piece[],
  start: number,
  words: string[],
  key: (p: Piece) => string = (p) => p.stem,
): number[] | undefined {
  const taken: number[] = [];
  let i = start;
  for (let w = 0; w < words.length; w++) {
    if (words[w] === '*') {
      const next = words[w + 1];
      let found = -1;
      for (let gap = 1; gap <= 3 && i + gap < pieces.length; gap++) {
        if (!pieces[i + gap].used && key(pieces[i + gap]) === next) {
          found = i + gap;
          break;
        }
      }
      if (found < 0) return undefined;
      i = found;
      continue;
    }
    const piece = pieces[i];
    if (!piece || piece.used || key(piece) !== words[w]) return undefined;
    taken.push(i);
    i++;
  }
  return taken;
}

interface KnownTable {
  kind: EntityKind;
  entries: Array<{ words: string[]; value: string }>;
  byFirst: Map<string, Array<{ words: string[]; value: string }>>;
  /** The words stay request words too ("teams" in "is teams down" is also the team concept). */
  keep?: boolean;
  /** Compared as typed (lowercase), not stemmed: "teams" the service is not "team". */
  exact?: boolean;
}

function known(kind: EntityKind, rows: Array<[string, string]>, options: Partial<KnownTable> = {}): KnownTable {
  const entries = rows
    .map(([text, value]) => ({ words: text.split(' ').map((w) => (options.exact ? w.toLowerCase() : stem(w))), value }))
    .sort((a, b) => b.words.length - a.words.length);
  const byFirst = new Map<string, KnownTable['entries']>();
  for (const entry of entries) byFirst.set(entry.words[0], [...(byFirst.get(entry.words[0]) ?? []), entry]);
  return { kind, entries, byFirst, ...options };
}

/** Known values in the order they are taken (roles before the words "admin", "reader" are read as concepts). */
const KNOWN: KnownTable[] = [
  known('role', [
    ...ROLE_NAMES.map((r): [string, string] => [r.replace(/Administrator/, 'admin'), r]),
    ...ROLE_NAMES.map((r): [string, string] => [r, r]),
  ]),
  known('policyType', Object.entries(POLICY_TYPES)),
  known('phoneType', Object.entries(PHONE_TYPES)),
  known('duration', Object.entries(SINCE_PHRASES)),
  known('state', Object.entries(MFA_STATES), { keep: true }),
  known(
    'service',
    SERVICES.map((s): [string, string] => [s, s]),
    { keep: true, exact: true },
  ),
];

/** Finds known (multi-word) values and, unless the table keeps them, marks their words as used. */
function takeKnown(pieces: Piece[], table: KnownTable): Entity[] {
  const found: Entity[] = [];
  const key = table.exact ? (p: Piece) => p.raw.toLowerCase() : (p: Piece) => p.stem;
  for (let i = 0; i < pieces.length; i++) {
    for (const entry of table.byFirst.get(key(pieces[i])) ?? []) {
      const taken = matchForm(pieces, i, entry.words, key);
      if (!taken) continue;
      found.push({ kind: table.kind, value: entry.value, at: i, before: pieces[i - 1]?.raw.toLowerCase() });
      if (!table.keep) taken.forEach((t) => (pieces[t].used = true));
      i = taken[taken.length - 1];
      break;
    }
  }
  return found;
}

/** "last 7 days", "for 2 hours", "60 minutes": a number followed by a unit word is a duration. */
function takeDurations(pieces: Piece[]): Entity[] {
  const found: Entity[] = [];
  for (let i = 0; i < pieces.length - 1; i++) {
    const number = pieces[i].entity?.kind === 'number' ? pieces[i] : undefined;
    const unit = number && UNITS.get(pieces[i + 1].stem);
    if (!number || !unit || pieces[i + 1].used) continue;
    number.entity = { kind: 'duration', value: `${number.raw}${unit}`, at: i, before: number.entity!.before };
    pieces[i + 1].used = true;
  }
  // "last 25 sign-ins": a count of what follows, not the last sign-in.
  for (let i = 1; i < pieces.length; i++) {
    const entity = pieces[i].entity;
    if (entity && (entity.kind === 'number' || entity.kind === 'duration') && pieces[i - 1].stem === 'last') {
      pieces[i - 1].used = true;
    }
  }
  for (const piece of pieces) if (piece.entity?.kind === 'duration') found.push(piece.entity);
  return found;
}

/** "because …" / "reason …": the rest of the sentence is the justification. */
function takeReason(pieces: Piece[]): Entity[] {
  const at = pieces.findIndex((p) => !p.used && /^(because|reason)$/i.test(p.raw));
  if (at < 0 || at === pieces.length - 1) return [];
  const words = pieces.slice(at + 1).map((p) => p.entity?.value ?? p.raw);
  for (const p of pieces.slice(at)) {
    p.used = true;
    p.entity = undefined;
  }
  return [{ kind: 'reason', value: words.join(' '), at }];
}

/**
 * Capitalised runs inside a sentence (not its first word) that hold a word the request vocabulary does not know are
 * names: "the IT Admins group", "team Project Phoenix".
 */
function takeNames(pieces: Piece[], known: (stem: string) => boolean): Entity[] {
  const found: Entity[] = [];
  let i = 1;
  while (i < pieces.length) {
    const start = i;
    while (i < pieces.length && !pieces[i].used && /^[A-Z]/.test(pieces[i].raw) && pieces[i].raw !== 'I') i++;
    const run = pieces.slice(start, i);
    // An unknown word makes the run a name; an acronym ("IT") is one even when it spells a stopword.
    const nameLike = (p: Piece) => !known(p.stem) && (!STOPWORDS.has(p.raw.toLowerCase()) || /^[A-Z]{2,}$/.test(p.raw));
    if (run.length > 0 && run.some(nameLike)) {
      found.push({
        kind: 'name',
        value: run.map((p) => p.raw).join(' '),
        at: start,
        before: pieces[start - 1]?.raw.toLowerCase(),
      });
      run.forEach((p) => (p.used = true));
    }
    if (i === start) i++;
  }
  return found;
}

/**
 * The values in the pieces, taken in this order: a reason (the rest after "because"), known names and phrases,
 * durations, capitalised names; then what the pieces themselves hold (UPNs, ids, quoted text…).
 */
export function takeValues(pieces: Piece[], known: (stem: string) => boolean): Entity[] {
  const entities: Entity[] = [
    ...takeReason(pieces),
    ...KNOWN.flatMap((table) => takeKnown(pieces, table)),
    ...takeDurations(pieces),
    ...takeNames(pieces, known),
  ];
  for (const piece of pieces) if (piece.entity && !entities.includes(piece.entity)) entities.push(piece.entity);
  return entities;
}
