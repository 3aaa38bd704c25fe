// A small recursive-descent parser for Graph's $filter dialect.
// Why not @odata/parser (installed): 0.2.14 rejects `in (…)`, `not(…)` without a space and `Any(` in upper case (the
// CLI sends `resourceProvisioningOptions/Any(x:x eq 'Team')`), and returns lambdas as an opaque path without a body
// AST. Graph accepts all three, so the stand-in would reject queries Graph serves.
import { GraphError } from '../errors.js';

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type LiteralType = 'string' | 'number' | 'boolean' | 'null' | 'guid' | 'datetime';

export type FilterNode =
  | { k: 'and' | 'or'; l: FilterNode; r: FilterNode }
  | { k: 'not'; e: FilterNode }
  | { k: 'cmp'; op: CompareOp; l: FilterNode; r: FilterNode }
  | { k: 'in'; l: FilterNode; list: LiteralNode[] }
  | { k: 'call'; name: string; args: FilterNode[] }
  | { k: 'path'; segs: string[] }
  | { k: 'lambda'; path: string[]; op: 'any' | 'all'; variable: string | null; body: FilterNode | null }
  | LiteralNode;
export interface LiteralNode {
  k: 'lit';
  t: LiteralType;
  v: string | number | boolean | null;
}

type Token =
  | { t: 'punct'; v: '(' | ')' | ',' | '/' | ':'; pos: number }
  | { t: 'ident'; v: string; pos: number }
  | { t: 'lit'; lit: LiteralNode; pos: number }
  | { t: 'end'; pos: number };

const COMPARE = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const RESERVED = new Set(['and', 'or', 'not', 'in', ...COMPARE]);
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?(?![\w:])/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?![\w.])/;
const IDENT = /^[A-Za-z_][\w.]*/;

export const invalidFilter = (detail: string): GraphError =>
  new GraphError(400, 'BadRequest', `Invalid filter clause: ${detail}`);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if ('(),/:'.includes(c)) {
      tokens.push({ t: 'punct', v: c as '(', pos: i });
      i++;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length)
          throw invalidFilter(`There is an unterminated string literal at position ${i} in '${text}'.`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({ t: 'lit', lit: { k: 'lit', t: 'string', v: value }, pos: i });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    let m = GUID.exec(rest);
    if (m) {
      tokens.push({ t: 'lit', lit: { k: 'lit', t: 'guid', v: m[0].toLowerCase() }, pos: i });
      i += m[0].length;
      continue;
    }
    m = DATETIME.exec(rest);
    if (m && m[1]) {
      tokens.push({ t: 'lit', lit: { k: 'lit', t: 'datetime', v: m[0] }, pos: i });
      i += m[0].length;
      continue;
    }
    m = NUMBER.exec(rest);
    if (m) {
      tokens.push({ t: 'lit', lit: { k: 'lit', t: 'number', v: Number(m[0]) }, pos: i });
      i += m[0].length;
      continue;
    }
    m = IDENT.exec(rest);
    if (m) {
      const lower = m[0].toLowerCase();
      if (lower === 'true' || lower === 'false')
        tokens.push({ t: 'lit', lit: { k: 'lit', t: 'boolean', v: lower === 'true' }, pos: i });
      else if (lower === 'null') tokens.push({ t: 'lit', lit: { k: 'lit', t: 'null', v: null }, pos: i });
      else tokens.push({ t: 'ident', v: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    throw invalidFilter(`Syntax error: character '${c}' is not valid at position ${i} in '${text}'.`);
  }
  tokens.push({ t: 'end', pos: text.length });
  return tokens;
}

/** Parses a $filter expression; throws Graph's 400 `Invalid filter clause` on syntax errors. */
export function parseFilter(text: string): FilterNode {
  if (text.length > 4096) throw invalidFilter('The filter expression is too long.');
  const tokens = tokenize(text);
  let p = 0;
  let depth = 0;
  const peek = () => tokens[p];
  const isKw = (kw: string) => {
    const t = peek();
    return t.t === 'ident' && t.v.toLowerCase() === kw;
  };
  const isPunct = (v: string) => {
    const t = peek();
    return t.t === 'punct' && t.v === v;
  };
  const fail = (): never => {
    const t = peek();
    throw invalidFilter(`Syntax error at position ${t.pos} in '${text}'.`);
  };
  const expect = (v: string) => {
    if (!isPunct(v)) fail();
    p++;
  };

  const parseOr = (): FilterNode => {
    if (++depth > 100) throw invalidFilter('The filter expression is nested too deeply.');
    let l = parseAnd();
    while (isKw('or')) {
      p++;
      l = { k: 'or', l, r: parseAnd() };
    }
    depth--;
    return l;
  };
  const parseAnd = (): FilterNode => {
    let l = parseUnary();
    while (isKw('and')) {
      p++;
      l = { k: 'and', l, r: parseUnary() };
    }
    return l;
  };
  const parseUnary = (): FilterNode => {
    if (isKw('not')) {
      p++;
      return { k: 'not', e: parseUnary() };
    }
    return parseComparison();
  };
  const parseComparison = (): FilterNode => {
    const l = parsePrimary();
    const t = peek();
    if (t.t === 'ident' && COMPARE.has(t.v.toLowerCase())) {
      p++;
      return { k: 'cmp', op: t.v.toLowerCase() as CompareOp, l, r: parsePrimary() };
    }
    if (isKw('in')) {
      p++;
      expect('(');
      const list: LiteralNode[] = [];
      for (;;) {
        const lit = peek();
        if (lit.t !== 'lit') fail();
        list.push((lit as { lit: LiteralNode }).lit);
        p++;
        if (isPunct(',')) {
          p++;
          continue;
        }
        expect(')');
        break;
      }
      return { k: 'in', l, list };
    }
    return l;
  };
  const parsePrimary = (): FilterNode => {
    const t = peek();
    if (t.t === 'punct' && t.v === '(') {
      p++;
      const e = parseOr();
      expect(')');
      return e;
    }
    if (t.t === 'lit') {
      p++;
      return t.lit;
    }
    if (t.t !== 'ident' || RESERVED.has(t.v.toLowerCase())) return fail();
    p++;
    if (isPunct('(')) {
      // function call
      p++;
      const args: FilterNode[] = [];
      if (!isPunct(')'))
        for (;;) {
          args.push(parseOr());
          if (isPunct(',')) {
            p++;
            continue;
          }
          break;
        }
      expect(')');
      return { k: 'call', name: t.v.toLowerCase(), args };
    }
    const segs = [t.v];
    while (isPunct('/')) {
      p++;
      const s = peek();
      if (s.t !== 'ident') fail();
      const name = (s as { v: string }).v;
      p++;
      const lower = name.toLowerCase();
      if ((lower === 'any' || lower === 'all') && isPunct('(')) {
        p++;
        if (isPunct(')')) {
          p++;
          return { k: 'lambda', path: segs, op: lower, variable: null, body: null };
        }
        const v = peek();
        if (v.t !== 'ident') fail();
        p++;
        expect(':');
        const body = parseOr();
        expect(')');
        return { k: 'lambda', path: segs, op: lower, variable: (v as { v: string }).v, body };
      }
      segs.push(name);
    }
    return { k: 'path', segs };
  };

  const tree = parseOr();
  if (peek().t !== 'end') fail();
  return tree;
}
