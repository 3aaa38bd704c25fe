import { HOW_TO, STOPWORDS, SYNONYMS, stem } from './vocabulary.js';
import { matchForm, piecesOf, takeValues, type Entity } from './values.js';

export type { Entity, EntityKind } from './values.js';

export interface Analysis {
  /** Concepts said: stems of descriptor words, or synonym-table concepts. */
  concepts: Set<string>;
  /** Stems the admin typed in the plural (teams, licences…): list commands are named in the plural. */
  plurals: Set<string>;
  entities: Entity[];
  /** "How do I …": the admin wants help on the command, not the command. */
  howTo: boolean;
  /** A question (ends in "?" or starts like one): the admin is asking, not ordering a change. */
  question: boolean;
  /** The first word is no word the matcher knows (nor a value, nor filler): perhaps a misspelt command. */
  unknownStart: boolean;
}

interface Form {
  words: string[];
  concepts: readonly string[];
}

function forms(rows: ReadonlyArray<readonly [readonly string[], readonly string[]]>): Form[] {
  return rows
    .flatMap(([concepts, surface]) =>
      surface.map((text) => ({ words: text.split(' ').map((w) => (w === '*' ? w : stem(w))), concepts })),
    )
    .sort((a, b) => b.words.length - a.words.length);
}

const SYNONYM_FORMS = forms(SYNONYMS);
/** Forms by their first word, longest first: a piece is only tried against forms that can start with it. */
const FORMS_BY_FIRST = new Map<string, Form[]>();
for (const form of SYNONYM_FORMS)
  FORMS_BY_FIRST.set(form.words[0], [...(FORMS_BY_FIRST.get(form.words[0]) ?? []), form]);
/** Every stem the synonym table knows, for telling unknown words (names) from request words. */
const SYNONYM_STEMS = new Set(SYNONYM_FORMS.flatMap((f) => f.words.filter((w) => w !== '*')));
const HOW_TO_FORMS = HOW_TO.map((t) => t.split(' ').map(stem));

/**
 * Reads free text as a request: the values it names (UPNs, ids, numbers, quoted and capitalised names, known roles,
 * policy types, SKUs, services, times) and the concepts its other words stand for. `vocabulary` holds the stems the
 * descriptors use, so their own words count as concepts without a synonym row.
 */
export function analyze(text: string, vocabulary: ReadonlySet<string>, describing = false): Analysis {
  const pieces = piecesOf(text);
  const isKnown = (s: string) => vocabulary.has(s) || SYNONYM_STEMS.has(s);
  const howTo = HOW_TO_FORMS.some((words) => matchForm(pieces, 0, words) !== undefined);
  const question =
    /\?\s*$/.test(text) || /^(is|are|was|were|does|do|did|has|have|who|what|which|when|how many)\b/i.test(text);
  const entities: Entity[] = describing ? [] : takeValues(pieces, isKnown);

  const concepts = new Set<string>();
  const plurals = new Set<string>();
  // Values imply what they are: a role name speaks of roles, a SKU of licences, a number of phones.
  for (const e of entities) {
    if (e.kind === 'role') concepts.add('role');
    if (e.kind === 'policyType') concepts.add('policy');
    if (e.kind === 'sku') concepts.add('license');
    if (e.kind === 'phone') ['phone', 'number'].forEach((c) => concepts.add(c));
  }
  for (let i = 0; i < pieces.length; i++) {
    if (pieces[i].used) continue;
    let hit: { f: Form; taken: number[] } | undefined;
    for (const f of FORMS_BY_FIRST.get(pieces[i].stem) ?? []) {
      const taken = matchForm(pieces, i, f.words);
      if (taken) {
        hit = { f, taken };
        break;
      }
    }
    if (hit) {
      hit.f.concepts.forEach((c) => concepts.add(c));
      const last = pieces[hit.taken[hit.taken.length - 1]].raw;
      if (/s$/i.test(last) && !/ss$/i.test(last)) {
        hit.f.concepts.forEach((c) => plurals.add(c));
      }
      hit.taken.forEach((t) => (pieces[t].used = true));
      continue;
    }
    const piece = pieces[i];
    const lower = piece.raw.toLowerCase();
    if (STOPWORDS.has(lower) || STOPWORDS.has(piece.stem)) continue;
    if (describing || vocabulary.has(piece.stem)) {
      concepts.add(piece.stem);
      if (/s$/i.test(piece.raw)) plurals.add(piece.stem);
    }
    entities.push({
      kind: 'leftover',
      value: piece.raw,
      at: i,
      before: pieces[i - 1]?.raw.toLowerCase(),
      soft: isKnown(piece.stem),
    });
  }
  const unknownStart = entities.some((e) => e.kind === 'leftover' && e.at === 0 && !e.soft);
  return { concepts, plurals, entities: joinLeftovers(entities), howTo, question, unknownStart };
}

/** Neighbouring leftover words are one value ("bob berg"); unknown words are stronger values than known ones. */
function joinLeftovers(entities: Entity[]): Entity[] {
  const others = entities.filter((e) => e.kind !== 'leftover');
  const words = entities.filter((e) => e.kind === 'leftover').sort((a, b) => a.at - b.at);
  const runs: Entity[] = [];
  for (const word of words) {
    const last = runs[runs.length - 1];
    if (last && last.at + last.value.split(' ').length === word.at) {
      last.value = `${last.value} ${word.value}`;
      last.soft = last.soft && word.soft;
    } else runs.push({ ...word });
  }
  return [...others, ...runs].sort((a, b) => a.at - b.at);
}

/** Concepts of descriptor text (a name, a summary): the same reading as an admin's words, without values. */
export function conceptsOf(text: string): { concepts: string[]; plurals: string[] } {
  const analysis = analyze(text.replace(/<[^>]*>/g, ' ').replace(/[[\]|.…()]/g, ' '), new Set(), true);
  return { concepts: [...analysis.concepts], plurals: [...analysis.plurals] };
}

/** The first concept of each word ("owners" → owner, "readonly" → archive): what turns a switch on. */
export function primaryConcepts(text: string): string[] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      const s = stem(word);
      return SYNONYM_FORMS.find((f) => f.words.length === 1 && f.words[0] === s)?.concepts[0] ?? s;
    });
}
