import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cardTemplateNames } from '../../bot/cards/render.js';

/** `test/cards/samples/<template>.json` holds an array of data objects to bind to that template. */
const SAMPLES_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'cards', 'samples');

export type CardSamples = Record<string, Record<string, unknown>[]>;

/** Sample data of every template that has a samples file (a template without one is a test failure elsewhere). */
export function loadCardSamples(): CardSamples {
  return Object.fromEntries(
    cardTemplateNames()
      .filter((name) => existsSync(join(SAMPLES_DIR, `${name}.json`)))
      .map((name) => [
        name,
        JSON.parse(readFileSync(join(SAMPLES_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>[],
      ]),
  );
}
