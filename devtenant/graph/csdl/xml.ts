/**
 * A small, regex-free, event-based XML tokenizer for the subset of XML that OData CSDL documents use:
 * elements, attributes, character/entity references, comments, processing instructions and CDATA.
 * DOCTYPE is rejected on purpose: no entity expansion, no external references (the input is metadata,
 * but a parser that never expands entities cannot be turned against us).
 */

export interface XmlHandler {
  onOpen(name: string, attributes: Record<string, string>): void;
  onClose(name: string): void;
  /** Non-whitespace character data (entity references decoded). Optional: CSDL carries almost none. */
  onText?(text: string): void;
}

export class XmlSyntaxError extends Error {
  readonly code = 'XML_SYNTAX';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at offset ${offset})`);
    this.name = 'XmlSyntaxError';
  }
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
}

function isNameEnd(ch: string): boolean {
  return isWhitespace(ch) || ch === '/' || ch === '>' || ch === '=' || ch === '';
}

/** Decodes the five predefined entities and numeric character references; anything else is an error. */
export function decodeXmlEntities(raw: string, offset = 0): string {
  if (raw.indexOf('&') === -1) return raw;
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const amp = raw.indexOf('&', i);
    if (amp === -1) {
      out += raw.slice(i);
      break;
    }
    out += raw.slice(i, amp);
    const semi = raw.indexOf(';', amp);
    if (semi === -1) throw new XmlSyntaxError('Unterminated entity reference', offset + amp);
    const ref = raw.slice(amp + 1, semi);
    if (ref.startsWith('#')) {
      const hex = ref[1] === 'x' || ref[1] === 'X';
      const digits = ref.slice(hex ? 2 : 1);
      const code = Number.parseInt(digits, hex ? 16 : 10);
      if (digits.length === 0 || Number.isNaN(code) || code > 0x10ffff) {
        throw new XmlSyntaxError(`Invalid character reference '&${ref};'`, offset + amp);
      }
      out += String.fromCodePoint(code);
    } else {
      const decoded = NAMED_ENTITIES[ref];
      if (decoded === undefined) throw new XmlSyntaxError(`Unknown entity '&${ref};'`, offset + amp);
      out += decoded;
    }
    i = semi + 1;
  }
  return out;
}

/** Streams `source` through `handler`; throws XmlSyntaxError on malformed input (unbalanced tags, bad attributes). */
export function parseXml(source: string, handler: XmlHandler): void {
  const stack: string[] = [];
  let i = 0;
  let sawRoot = false;

  const expectIndex = (found: number, what: string, at: number): number => {
    if (found === -1) throw new XmlSyntaxError(`Unterminated ${what}`, at);
    return found;
  };
  const emitText = (raw: string, at: number): void => {
    let blank = true;
    for (const ch of raw) {
      if (!isWhitespace(ch)) {
        blank = false;
        break;
      }
    }
    if (blank) return;
    if (stack.length === 0) throw new XmlSyntaxError('Text outside the root element', at);
    handler.onText?.(decodeXmlEntities(raw, at));
  };

  while (i < source.length) {
    const lt = source.indexOf('<', i);
    if (lt === -1) {
      emitText(source.slice(i), i);
      break;
    }
    if (lt > i) emitText(source.slice(i, lt), i);

    if (source.startsWith('<!--', lt)) {
      i = expectIndex(source.indexOf('-->', lt + 4), 'comment', lt) + 3;
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = expectIndex(source.indexOf(']]>', lt + 9), 'CDATA section', lt);
      if (stack.length === 0) throw new XmlSyntaxError('CDATA outside the root element', lt);
      handler.onText?.(source.slice(lt + 9, end));
      i = end + 3;
    } else if (source.startsWith('<?', lt)) {
      i = expectIndex(source.indexOf('?>', lt + 2), 'processing instruction', lt) + 2;
    } else if (source.startsWith('<!', lt)) {
      throw new XmlSyntaxError('DOCTYPE and other declarations are not supported', lt);
    } else if (source[lt + 1] === '/') {
      const end = expectIndex(source.indexOf('>', lt), 'end tag', lt);
      const name = source.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (open !== name)
        throw new XmlSyntaxError(`End tag '${name}' does not match open tag '${open ?? '(none)'}'`, lt);
      handler.onClose(name);
      i = end + 1;
    } else {
      i = parseStartTag(source, lt, (name, attributes, selfClosing) => {
        if (stack.length === 0) {
          if (sawRoot) throw new XmlSyntaxError('More than one root element', lt);
          sawRoot = true;
        }
        handler.onOpen(name, attributes);
        if (selfClosing) handler.onClose(name);
        else stack.push(name);
      });
    }
  }
  if (stack.length > 0) throw new XmlSyntaxError(`Unclosed element '${stack[stack.length - 1]}'`, source.length);
  if (!sawRoot) throw new XmlSyntaxError('No root element', 0);
}

/** Parses `<name attr="v" ...>` or `<name .../>` starting at `lt`; returns the index after '>'. */
function parseStartTag(
  source: string,
  lt: number,
  emit: (name: string, attributes: Record<string, string>, selfClosing: boolean) => void,
): number {
  let i = lt + 1;
  const nameStart = i;
  while (i < source.length && !isNameEnd(source[i]!)) i++;
  const name = source.slice(nameStart, i);
  if (name.length === 0) throw new XmlSyntaxError('Missing element name', lt);
  const attributes: Record<string, string> = Object.create(null) as Record<string, string>;

  for (;;) {
    while (i < source.length && isWhitespace(source[i]!)) i++;
    const ch = source[i];
    if (ch === undefined) throw new XmlSyntaxError(`Unterminated start tag '${name}'`, lt);
    if (ch === '>') {
      emit(name, attributes, false);
      return i + 1;
    }
    if (ch === '/') {
      if (source[i + 1] !== '>') throw new XmlSyntaxError(`Expected '/>' in '${name}'`, i);
      emit(name, attributes, true);
      return i + 2;
    }
    const attrStart = i;
    while (i < source.length && !isNameEnd(source[i]!)) i++;
    const attrName = source.slice(attrStart, i);
    if (attrName.length === 0) throw new XmlSyntaxError(`Malformed attribute in '${name}'`, i);
    while (i < source.length && isWhitespace(source[i]!)) i++;
    if (source[i] !== '=') throw new XmlSyntaxError(`Attribute '${attrName}' has no value`, i);
    i++;
    while (i < source.length && isWhitespace(source[i]!)) i++;
    const quote = source[i];
    if (quote !== '"' && quote !== "'") throw new XmlSyntaxError(`Attribute '${attrName}' value is not quoted`, i);
    const valueEnd = source.indexOf(quote, i + 1);
    if (valueEnd === -1) throw new XmlSyntaxError(`Unterminated value of attribute '${attrName}'`, i);
    const raw = source.slice(i + 1, valueEnd);
    if (raw.indexOf('<') !== -1) throw new XmlSyntaxError(`'<' in value of attribute '${attrName}'`, i);
    if (attrName in attributes) throw new XmlSyntaxError(`Duplicate attribute '${attrName}'`, attrStart);
    attributes[attrName] = decodeXmlEntities(raw, i + 1);
    i = valueEnd + 1;
  }
}
