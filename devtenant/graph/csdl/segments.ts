/**
 * Splits an OData resource path into segments and parses `name(args)` segments. Quotes are honoured, so a
 * `/` or `,` inside a `'…'` literal does not split, and `''` is an escaped quote (OData ABNF).
 */

export interface ParsedSegment {
  /** As written (percent-decoded). */
  raw: string;
  /** Identifier before any parenthesis. */
  name: string;
  /** Parenthesised arguments, if any: positional (`('x')`) or named (`(type='a',name='b')`). */
  args?: { positional?: string; named: Map<string, string> };
  /** A route-template placeholder such as `{id}` or `:id`, i.e. "any key value". */
  isPlaceholder: boolean;
}

export class SegmentSyntaxError extends Error {
  readonly code = 'SEGMENT_SYNTAX';
  constructor(
    message: string,
    readonly segment: string,
  ) {
    super(message);
    this.name = 'SegmentSyntaxError';
  }
}

export function isPlaceholderText(text: string): boolean {
  return (text.startsWith('{') && text.endsWith('}') && text.length > 2) || (text.startsWith(':') && text.length > 1);
}

/** Splits on `/` outside quotes and drops empty segments; strips a query string and a leading `/v1.0`. */
export function splitPath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuote = false;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === "'") inQuote = !inQuote;
    if (!inQuote && ch === '?') break;
    if (!inQuote && ch === '/') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  const segments = parts.filter((p) => p.length > 0).map(safeDecode);
  if (segments[0] === 'v1.0') segments.shift();
  return segments;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new SegmentSyntaxError(`Segment '${segment}' is not valid percent-encoding`, segment);
  }
}

export function parseSegment(raw: string): ParsedSegment {
  const open = raw.indexOf('(');
  if (open === -1 || isPlaceholderText(raw)) return { raw, name: raw, isPlaceholder: isPlaceholderText(raw) };
  if (!raw.endsWith(')')) throw new SegmentSyntaxError(`Segment '${raw}' has an unbalanced parenthesis`, raw);
  const name = raw.slice(0, open);
  const inner = raw.slice(open + 1, -1);
  const named = new Map<string, string>();
  const parts = splitTopLevel(inner, raw);
  if (parts.length === 1 && !hasTopLevelEquals(parts[0]!)) {
    return { raw, name, args: { positional: unquote(parts[0]!), named }, isPlaceholder: false };
  }
  for (const part of parts) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new SegmentSyntaxError(`Argument '${part}' in '${raw}' is not name=value`, raw);
    const argName = part.slice(0, eq).trim();
    if (named.has(argName)) throw new SegmentSyntaxError(`Argument '${argName}' repeated in '${raw}'`, raw);
    named.set(argName, unquote(part.slice(eq + 1).trim()));
  }
  return { raw, name, args: { named }, isPlaceholder: false };
}

function splitTopLevel(inner: string, raw: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuote = false;
  for (const ch of inner) {
    if (ch === "'") inQuote = !inQuote;
    if (ch === ',' && !inQuote) {
      parts.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (inQuote) throw new SegmentSyntaxError(`Unterminated string literal in '${raw}'`, raw);
  parts.push(current.trim());
  return parts;
}

function hasTopLevelEquals(part: string): boolean {
  let inQuote = false;
  for (const ch of part) {
    if (ch === "'") inQuote = !inQuote;
    else if (ch === '=' && !inQuote) return true;
  }
  return false;
}

/** `'let''s'` → `let's`; unquoted literals (numbers, placeholders) are returned as written. */
function unquote(literal: string): string {
  if (literal.length >= 2 && literal.startsWith("'") && literal.endsWith("'")) {
    return literal.slice(1, -1).split("''").join("'");
  }
  return literal;
}
