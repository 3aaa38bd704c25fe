// Word-prefix index for $search and `startswith` filters on large collections (the `large` tenant's 50,000 users): a
// search scanned and
// lower-cased every user's searchable values per request (≈ 40 ms of CPU, on the event loop every stand-in shares).
// The index only narrows the candidates: listCollection still checks each one with the real matcher, so it can never
// add a result. It can only miss one if a value changed since it was built, so before each use every indexed value is
// compared with the one it was built from (a pass of string comparisons, no allocation) and any change rebuilds it.
import type { SearchExpr } from './query.js';

const SEPARATORS = /[^\p{L}\p{N}]+/u;
const SEPARATOR = /[^\p{L}\p{N}]/u;
/** Below this size a plain scan is as cheap as checking the index is current. */
const MIN_ITEMS = 2_000;

interface PropIndex {
  /** The value of each item when indexed (by position in the collection). */
  values: unknown[];
  /** Sorted lower-cased words with the positions of the items that contain them. */
  words: string[];
  positions: number[][];
}

const indexes = new WeakMap<readonly unknown[], Map<string, PropIndex>>();

function build(items: readonly unknown[], read: (item: unknown) => unknown): PropIndex {
  const byWord = new Map<string, number[]>();
  const values = items.map(read);
  values.forEach((value, position) => {
    if (typeof value !== 'string') return;
    const lower = value.toLowerCase();
    // The whole value counts as a "word" too: the matcher also accepts a prefix of the full value.
    for (const word of new Set([lower, ...lower.split(SEPARATORS).filter(Boolean)])) {
      const list = byWord.get(word);
      if (list) list.push(position);
      else byWord.set(word, [position]);
    }
  });
  const words = [...byWord.keys()].sort();
  return { values, words, positions: words.map((w) => byWord.get(w)!) };
}

function current(index: PropIndex, items: readonly unknown[], read: (item: unknown) => unknown): boolean {
  if (index.values.length !== items.length) return false;
  for (let i = 0; i < items.length; i++) if (read(items[i]) !== index.values[i]) return false;
  return true;
}

/** Positions of items with a word (or whole value) starting with `needle`. */
function lookup(index: PropIndex, needle: string, into: Set<number>): void {
  let lo = 0;
  let hi = index.words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (index.words[mid]! < needle) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < index.words.length && index.words[i]!.startsWith(needle); i++)
    for (const p of index.positions[i]!) into.add(p);
}

/** The index of `prop` over `items`, built or rebuilt when any indexed value changed since. */
function indexFor<T>(items: readonly T[], prop: string, readerFor: (prop: string) => (item: T) => unknown): PropIndex {
  let byProp = indexes.get(items);
  if (!byProp) indexes.set(items, (byProp = new Map()));
  const reader = readerFor(prop) as (item: unknown) => unknown;
  let index = byProp.get(prop);
  if (!index || !current(index, items, reader)) byProp.set(prop, (index = build(items, reader)));
  return index;
}

const inOrder = <T>(items: readonly T[], positions: Set<number>): T[] =>
  [...positions].sort((a, b) => a - b).map((p) => items[p]!);

/**
 * The items that may match `search`, in collection order; undefined when the index cannot narrow it (small
 * collection, or a term with a separator inside, which only the full-value prefix can match).
 */
export function searchCandidates<T>(
  items: readonly T[],
  search: SearchExpr,
  readerFor: (prop: string) => (item: T) => unknown,
): T[] | undefined {
  const terms = search.any.flat();
  if (items.length < MIN_ITEMS || terms.length === 0 || terms.some((t) => t.value === '' || SEPARATOR.test(t.value)))
    return undefined;
  const positions = new Set<number>();
  for (const term of terms) lookup(indexFor(items, term.prop, readerFor), term.value.toLowerCase(), positions);
  return inOrder(items, positions);
}

/**
 * The items whose `prop` may start with `prefix` (case-insensitive, as `startswith` in $filter), in collection order:
 * the whole value is indexed as well as its words. Undefined for small collections or an empty prefix.
 */
export function prefixCandidates<T>(
  items: readonly T[],
  prop: string,
  prefix: string,
  readerFor: (prop: string) => (item: T) => unknown,
): T[] | undefined {
  if (items.length < MIN_ITEMS || prefix === '') return undefined;
  const positions = new Set<number>();
  lookup(indexFor(items, prop, readerFor), prefix.toLowerCase(), positions);
  return inOrder(items, positions);
}
