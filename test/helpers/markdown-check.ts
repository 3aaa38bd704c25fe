/**
 * What a Teams client would interpret in card text, modelled independently of bot/cards/plain-text.ts: CommonMark
 * backslash escapes are resolved first (an escaped character is literal), then the remaining text is searched for
 * the constructs that make something clickable, loaded or evaluated.
 */

/** A character the escape made literal; it can no longer take part in any syntax. */
const LITERAL = '\uE000';

/** `text` with every backslash-escaped ASCII punctuation character replaced by LITERAL. */
function activeText(text: string): string {
  return text.replace(/\\[!-/:-@[-`{-~]/g, LITERAL);
}

const CONSTRUCTS: [string, RegExp][] = [
  ['link or image', /!?\[[^\]]*\]\s*[([]/],
  ['link reference definition', /^[ \t]*\[[^\]]+\]:/m],
  ['autolink', /<[a-z][a-z0-9+.-]*:[^\s<>]*>|<[^\s@<>]+@[^\s@<>]+>/i],
  ['bare URL', /[a-z][a-z0-9+.-]*:\/\/|\bwww\./i],
  ['HTML', /<[a-z/!?]/i],
  ['template expression', /\$\{/],
  ['client function', /\{\{/],
];

/** Bidi controls and zero-width characters: a name would read differently from what it is. */
export const INVISIBLE_CHARS = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** The constructs a Markdown client would interpret in `text`, each with the matched source. */
export function interpretedMarkup(text: string): { kind: string; match: string }[] {
  const active = activeText(text);
  const found: { kind: string; match: string }[] = [];
  for (const [kind, pattern] of CONSTRUCTS) {
    const match = pattern.exec(active);
    if (match) found.push({ kind, match: match[0] });
  }
  if (INVISIBLE_CHARS.test(text)) found.push({ kind: 'invisible character', match: '' });
  return found;
}

/** Where a card shows text, and whether the client renders Markdown there. */
export interface ShownString {
  path: string;
  text: string;
  markdown: boolean;
}

/** Every string a client shows: TextBlock and TextRun text, facts, action titles, input labels, the fallback text. */
export function shownStrings(card: Record<string, unknown>): ShownString[] {
  const out: ShownString[] = [];
  const walk = (node: unknown, path: string, parentKey: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}[${i}]`, parentKey));
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    const type = typeof element.type === 'string' ? element.type : '';
    for (const [key, value] of Object.entries(element)) {
      const at = `${path}.${key}`;
      if (typeof value !== 'string') {
        // What an action sends back is not shown.
        if (!(key === 'data' && type.startsWith('Action.'))) walk(value, at, key);
        continue;
      }
      if (type === 'TextBlock' && key === 'text') out.push({ path: at, text: value, markdown: true });
      // RichTextBlock inlines: Adaptive Cards render no Markdown in a TextRun.
      else if (type === 'TextRun' && key === 'text') out.push({ path: at, text: value, markdown: false });
      else if (!type && parentKey === 'facts' && (key === 'title' || key === 'value')) {
        out.push({ path: at, text: value, markdown: true });
      } else if (type.startsWith('Action.') && key === 'title') out.push({ path: at, text: value, markdown: false });
      else if (type.startsWith('Input.') && ['label', 'placeholder', 'errorMessage'].includes(key)) {
        out.push({ path: at, text: value, markdown: false });
      }
    }
  };
  walk(card.body, 'body', 'body');
  walk(card.actions, 'actions', 'actions');
  if (typeof card.fallbackText === 'string')
    out.push({ path: 'fallbackText', text: card.fallbackText, markdown: true });
  return out;
}
