import { MessageTooLongError, UsageError } from '../errors.js';

/** Longest text we try to parse; a real command is far shorter, and longer text is refused before any work. */
export const MAX_COMMAND_LENGTH = 2000;

/**
 * Turns what Teams delivers into plain command text: drops any `<at>…</at>` mention markup left over (group
 * chats and channels mention the bot), unescapes the HTML entities Teams uses, and straightens the curly quotes
 * mobile keyboards type, so `"Project X"` works whatever the client.
 */
export function normalizeText(raw: string): string {
  // Linear patterns only: no lazy or unbounded scans that restart at every '<' (text of '<' or '<at>' repeated
  // would otherwise cost quadratic CPU before the length check can refuse it).
  return raw
    .replace(/<at\b[^<>]*>[^<]*<\/at>/gi, ' ')
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
    .replace(/[\u2018\u2019\u201A]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Splits into words; double- or single-quoted runs are one word (quotes removed). An unbalanced quote is a usage
 * error rather than a guess, because guessing where a name ends could target the wrong object.
 */
export function tokenize(text: string): string[] {
  if (text.length > MAX_COMMAND_LENGTH) throw new MessageTooLongError(text.length, MAX_COMMAND_LENGTH);
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  let quoteStart = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
      continue;
    }
    if ((ch === '"' || ch === "'") && !(ch === "'" && inWord && /\w/.test(text[i + 1] ?? ''))) {
      // An apostrophe inside a word (o'brien@contoso.com) is a letter, not a quote.
      quote = ch;
      quoteStart = i;
      inWord = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    current += ch;
    inWord = true;
  }
  if (quote) {
    throw new UsageError(`The quote ${quote} at character ${quoteStart + 1} is never closed.`);
  }
  if (inWord) words.push(current);
  return words;
}
