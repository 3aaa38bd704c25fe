import { UsageError } from '../errors.js';
import { odataLiteral } from '../graph/odata.js';

/**
 * `--filter` takes an OData filter on users as an admin writes it (`department eq 'Sales' and accountEnabled eq
 * true`). It is never passed through as typed: it is split into tokens of a small filter grammar — property paths,
 * comparison and logical operators, `startswith` / `endswith`, literals, parentheses — and rebuilt from them, each
 * string literal escaped again by `odataLiteral`. Anything else (`$`, `&`, `;`, `?`, other functions, lambda
 * operators, a second query option) is refused before a request is made.
 */

type Token =
  | { kind: 'name'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'literal'; text: string }
  | { kind: 'punct'; text: '(' | ')' | ',' };

const OPERATORS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const LOGICAL = new Set(['and', 'or']);
const FUNCTIONS = new Set(['startswith', 'endswith']);
const KEYWORDS = new Set([...OPERATORS, ...LOGICAL, 'not', ...FUNCTIONS]);
const MAX_FILTER = 500;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: 'punct', text: ch });
      i++;
      continue;
    }
    if (ch === "'") {
      let value = '';
      for (i++; ; i++) {
        if (i >= text.length) throw bad('a text value is missing its closing quote');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i++;
            continue;
          }
          break;
        }
        value += text[i];
      }
      i++;
      tokens.push({ kind: 'string', value });
      continue;
    }
    const word = /^[A-Za-z][A-Za-z0-9_]*(?:\/[A-Za-z][A-Za-z0-9_]*)*/.exec(text.slice(i));
    if (word) {
      const lower = word[0].toLowerCase();
      tokens.push(
        lower === 'true' || lower === 'false' || lower === 'null'
          ? { kind: 'literal', text: lower }
          : { kind: 'name', text: word[0] },
      );
      i += word[0].length;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'literal', text: number[0] });
      i += number[0].length;
      continue;
    }
    throw bad(`"${ch}" is not part of a filter expression`);
  }
  return tokens;
}

function bad(why: string): UsageError {
  return new UsageError(
    `--filter must be an OData filter on users, such as department eq 'Sales': ${why}. Nothing was done.`,
  );
}

/** Recursive descent over the token list; returns the rebuilt filter text. */
class FilterParser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): string {
    const out = this.or();
    if (this.at < this.tokens.length) throw bad(`unexpected "${this.show(this.tokens[this.at])}"`);
    return out;
  }

  private or(): string {
    let left = this.and();
    while (this.keyword('or')) left = `${left} or ${this.and()}`;
    return left;
  }

  private and(): string {
    let left = this.unary();
    while (this.keyword('and')) left = `${left} and ${this.unary()}`;
    return left;
  }

  private unary(): string {
    if (this.keyword('not')) return `not ${this.unary()}`;
    if (this.punct('(')) {
      const inner = this.or();
      if (!this.punct(')')) throw bad('a parenthesis is not closed');
      return `(${inner})`;
    }
    const name = this.name();
    if (FUNCTIONS.has(name.toLowerCase())) {
      if (!this.punct('(')) throw bad(`${name} needs (property,'text')`);
      const property = this.property();
      if (!this.punct(',')) throw bad(`${name} needs (property,'text')`);
      const value = this.value();
      if (!this.punct(')')) throw bad(`${name}(…) is not closed`);
      return `${name.toLowerCase()}(${property},${value})`;
    }
    if (KEYWORDS.has(name.toLowerCase())) throw bad(`"${name}" cannot start a condition`);
    const op = this.name().toLowerCase();
    if (!OPERATORS.has(op)) throw bad(`"${op}" is not a comparison (eq, ne, gt, ge, lt, le)`);
    return `${name} ${op} ${this.value()}`;
  }

  private property(): string {
    const name = this.name();
    if (KEYWORDS.has(name.toLowerCase())) throw bad(`"${name}" is not a property`);
    return name;
  }

  private value(): string {
    const token = this.tokens[this.at++];
    if (token?.kind === 'string') return odataLiteral(token.value);
    if (token?.kind === 'literal') return token.text;
    throw bad(token ? `"${this.show(token)}" is not a value` : 'a value is missing');
  }

  private name(): string {
    const token = this.tokens[this.at++];
    if (token?.kind !== 'name') throw bad(token ? `"${this.show(token)}" is not expected here` : 'it ends too early');
    return token.text;
  }

  private keyword(word: string): boolean {
    const token = this.tokens[this.at];
    if (token?.kind === 'name' && token.text.toLowerCase() === word) {
      this.at++;
      return true;
    }
    return false;
  }

  private punct(text: string): boolean {
    const token = this.tokens[this.at];
    if (token?.kind === 'punct' && token.text === text) {
      this.at++;
      return true;
    }
    return false;
  }

  private show(token: Token): string {
    return token.kind === 'string' ? odataLiteral(token.value) : token.text;
  }
}

/** The admin's filter, validated and rebuilt with every literal escaped; throws a usage error otherwise. */
export function safeUserFilter(typed: string): string {
  const text = typed.trim();
  if (!text) throw bad('it is empty');
  if (text.length > MAX_FILTER) throw bad(`it is longer than ${MAX_FILTER} characters`);
  return new FilterParser(tokenize(text)).parse();
}

/** endswith, ne and not are advanced queries on directory objects: they need ConsistencyLevel: eventual. */
export function needsAdvancedQuery(filter: string): boolean {
  return /\bendswith\(|\sne\s|\bnot\s/.test(filter);
}
