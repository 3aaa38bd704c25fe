/**
 * The one rule for untrusted text in cards (SECURITY.md, "Untrusted text in cards"): a value from Graph, from a
 * user's message or from the store is shown as plain text. Teams renders a Markdown subset in `TextBlock.text` and
 * `Fact.title`/`Fact.value` (links, emphasis, lists; some clients more), and clients expand `{{DATE(…)}}`; so a bound
 * value is cleaned (controls, bidi overrides and zero-width characters removed, length capped with an ellipsis) and
 * then has every character that could start Markdown, an autolink, HTML or an expression backslash-escaped
 * (CommonMark: any ASCII punctuation may be escaped and then shows as itself).
 *
 * Only text written in code may carry Markdown: a card template's literal text, or a value built with the `markdown`
 * tag, whose literal parts are kept and whose interpolated values are escaped like any other.
 */

/** A bound text value longer than this is cut (with "…"); long enough for a justification or a group description. */
export const MAX_TEXT_CHARS = 1000;
/** Button titles, fact titles and input labels are short: Teams cuts them off anyway. */
export const MAX_LABEL_CHARS = 100;
/** `fallbackText` and the activity summary (notifications, clients without cards). */
export const MAX_SUMMARY_CHARS = 2000;

/**
 * Removed from untrusted text: C0/C1 controls (except tab and newline), bidi embeddings, overrides and isolates
 * (U+202A–202E, U+2066–2069), the implicit marks (U+200E/F, U+061C), zero-width characters (U+200B–200D, U+2060,
 * U+FEFF), the Mongolian vowel separator and interlinear annotations. They make a name read differently from what
 * it is, and none is needed to read a directory value.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
/** Line and paragraph separators become newlines (a Markdown line start is then escaped like any other). */
const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g;

/**
 * Characters escaped everywhere: emphasis, code, links and images, autolinks and HTML, entities, strikethrough, and
 * `{` so that no template expression (`${…}`) or client function (`{{DATE(…)}}`) is ever formed from data.
 */
const ALWAYS = /[\\*_`[\]<>&~|{]/g;

/** Strips invisible and control characters and caps the length (by code point, so no surrogate pair is split). */
export function cleanText(value: string, maxChars: number): string {
  const cleaned = value.replace(LINE_BREAKS, '\n').replace(INVISIBLE, '');
  const chars = Array.from(cleaned);
  return chars.length <= maxChars ? cleaned : chars.slice(0, maxChars - 1).join('') + '…';
}

/** Escapes a cleaned string so that Markdown shows it literally. */
export function escapeMarkdown(value: string): string {
  return (
    value
      .replace(ALWAYS, '\\$&')
      // Block syntax at the start of a line: headings, quotes, lists ("- ", "+ ", "1. ", "1) "), rules.
      .replace(/^([ \t]*)([#=+-])/gm, '$1\\$2')
      .replace(/^([ \t]*\d+)([.)])/gm, '$1\\$2')
      // Bare links that GFM-style renderers turn into anchors: "https://…", "www.…".
      .replace(/([a-z][a-z0-9+.-]*):(?=\/\/)/gi, '$1\\:')
      .replace(/(www)\./gi, '$1\\.')
  );
}

/** Text written in code that may carry Markdown; data interpolated into it was escaped when it was built. */
export class TrustedMarkdown {
  constructor(readonly markdown: string) {}
  /** Stored and read back, it is no longer known to be code's own text: it becomes a plain string (escaped). */
  toJSON(): string {
    return this.markdown;
  }
  toString(): string {
    return this.markdown;
  }
}

/**
 * Markdown written in code, with values: `markdown\`Use **admin ${verb} ${upn}**.\`` keeps the bold and shows the
 * values literally.
 */
export function markdown(literals: TemplateStringsArray, ...values: unknown[]): TrustedMarkdown {
  let text = literals[0] ?? '';
  values.forEach((value, i) => {
    text += plainText(value, MAX_TEXT_CHARS) + (literals[i + 1] ?? '');
  });
  return new TrustedMarkdown(text);
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** How a bound value is shown where Markdown is rendered: trusted Markdown as is, anything else as plain text. */
export function plainText(value: unknown, maxChars: number): string {
  if (value instanceof TrustedMarkdown) return value.markdown;
  return escapeMarkdown(cleanText(asText(value), maxChars));
}

/**
 * How a bound value is shown where clients render no Markdown (button titles, input labels): cleaned and capped
 * only, since an escape would show as a backslash there.
 */
export function plainLabel(value: unknown, maxChars: number): string {
  return cleanText(value instanceof TrustedMarkdown ? value.markdown : asText(value), maxChars);
}
