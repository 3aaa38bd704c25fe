import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';
import { MAX_SUMMARY_CHARS, cleanText, plainText } from './plain-text.js';
import { compileTemplate } from './text-positions.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Teams refuses messages over ~28 KB; a card that big is a bug in the command (it should page). */
export const MAX_CARD_BYTES = 28 * 1024;

type CardJson = Record<string, unknown>;

/** `cards/` sits at the project root, both when run from source (tsx) and from `dist/`. */
function findCardsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'cards');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('cards/ directory not found above ' + fileURLToPath(import.meta.url));
}

export const CARDS_DIR = findCardsDir();

const templates = new Map<string, ACData.Template>();

function template(name: string): ACData.Template {
  let found = templates.get(name);
  if (!found) {
    const file = join(CARDS_DIR, `${name}.json`);
    if (!/^[a-z0-9-]+$/.test(name) || !existsSync(file)) throw new Error(`No card template "${name}" in cards/`);
    found = new ACData.Template(compileTemplate(JSON.parse(readFileSync(file, 'utf8')) as CardJson));
    templates.set(name, found);
  }
  return found;
}

export function cardTemplateNames(): string[] {
  return readdirSync(CARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/**
 * Binds a template with data (adaptivecards-templating: `${…}`, `$data`, `$when`) and sets the card's
 * `fallbackText`, which clients without Adaptive Card support show instead. Every value bound into displayed text,
 * and the fallback text, is shown as plain text (bot/cards/plain-text.ts; compiled in by text-positions.ts).
 */
export function renderCard(name: string, data: Record<string, unknown>, fallbackText: string): CardJson {
  const card = template(name).expand({ $root: data }) as CardJson;
  card.fallbackText = plainText(fallbackText, MAX_SUMMARY_CHARS);
  return card;
}

/** An activity's `summary` (notifications): plain text there, so only cleaned and capped, not escaped. */
export function summaryText(text: string): string {
  return cleanText(text, MAX_SUMMARY_CHARS);
}

export function cardBytes(card: CardJson): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
