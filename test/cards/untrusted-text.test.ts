import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_TEXT_CHARS, markdown } from '../../bot/cards/plain-text.js';
import { cardTemplateNames, renderCard } from '../../bot/cards/render.js';
import { compileTemplate } from '../../bot/cards/text-positions.js';
import { loadCardSamples } from '../helpers/card-samples.js';
import { INVISIBLE_CHARS, interpretedMarkup, shownStrings } from '../helpers/markdown-check.js';
import { shownText } from '../helpers/test-adapter.js';

const CARD_SAMPLES = loadCardSamples();

/** What directory data, a typed justification or a stored value may carry to phish, hide or inject. */
const HOSTILE_PIECES = [
  '[click here](https://evil.example/phish)',
  '<https://evil.example/auto>',
  '<admin@evil.example>',
  '![t](https://evil.example/i.png)',
  '[x][1]\n[1]: https://evil.example/ref',
  '<a href="https://evil.example">x</a>',
  '<img src=x onerror=alert(1)>',
  '${1+1}',
  '${$root.id}',
  "${json('{}')}",
  '{{DATE(2017-02-14T06:00:00Z, SHORT)}}',
  'https://evil.example/bare',
  'www.evil.example',
  '\\[x](https://evil.example/backslash)',
  '\\\\[x](https://evil.example/double)',
  '&#91;x&#93;(https://evil.example/entity)',
  '\n# Heading\n- item\n1. item\n> quote',
  '**bold** _it_ `code` ~~gone~~',
  '\u202Egnp.exe\u202C',
  'ad\u200Bmin\u200D\u2066\u2069\u200E\u200F\u061C\uFEFF',
  '\u0000\u001b[31m',
  '\r\n\u2028',
];

const hostilePiece = fc.oneof(
  fc.constantFrom(...HOSTILE_PIECES),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const hostileString = fc.oneof(
  { weight: 6, arbitrary: fc.array(hostilePiece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')) },
  // 20,000 characters with a link in the middle, to be cut.
  { weight: 1, arbitrary: hostilePiece.map((p) => 'a'.repeat(10_000) + '[x](https://evil.example)' + p.repeat(400)) },
);

/** The sample's shape with every string (nested too) replaced by one drawn from `strings`. */
function hostileData(sample: unknown, strings: () => string): unknown {
  if (typeof sample === 'string') return strings();
  if (Array.isArray(sample)) return sample.map((item) => hostileData(item, strings));
  if (sample && typeof sample === 'object') {
    return Object.fromEntries(Object.entries(sample).map(([k, v]) => [k, hostileData(v, strings)]));
  }
  return sample;
}

/** Sample fields bound where nothing is shown: colours, and the command an action or a row sends back. */
const NOT_SHOWN = new Set([
  'style',
  'openArea',
  'statusColor',
  'badgeColor',
  'tierColor',
  'color',
  'open',
  'command',
  'text',
  'more',
  'remove',
  'url',
  'viewerIds[]',
]);
const HOSTILE_MARKED = '[x](https://evil.example) ${1+1}';

/** The sample with every string replaced by `F<i>F <hostile>`; `leaves[i]` names the field (`items[].title`). */
function markedData(sample: unknown, path: string, leaves: string[]): unknown {
  if (typeof sample === 'string') {
    leaves.push(path);
    return `F${leaves.length - 1}F ${HOSTILE_MARKED}`;
  }
  if (Array.isArray(sample)) return sample.map((item) => markedData(item, `${path}[]`, leaves));
  if (sample && typeof sample === 'object') {
    return Object.fromEntries(
      Object.entries(sample).map(([k, v]) => [k, markedData(v, path ? `${path}.${k}` : k, leaves)]),
    );
  }
  return sample;
}

/** Template text of its own (e.g. "help <command>"): interpreted with benign data too, so trusted. */
function templateOwnMarkup(name: string): Set<string> {
  const own = new Set<string>();
  for (const sample of CARD_SAMPLES[name] ?? []) {
    for (const shown of shownStrings(renderCard(name, sample, 'fallback'))) {
      if (shown.markdown) for (const found of interpretedMarkup(shown.text)) own.add(`${found.kind}:${found.match}`);
    }
  }
  return own;
}

describe('untrusted text in cards (property-based: hostile strings in every bound field)', () => {
  for (const name of cardTemplateNames()) {
    it(`${name}: nothing bound is interpreted as a link, image, HTML, template or hidden character`, () => {
      const own = templateOwnMarkup(name);
      const samples = CARD_SAMPLES[name] ?? [];
      assert.ok(samples.length > 0, `no samples for ${name}`);
      fc.assert(
        fc.property(
          fc.nat({ max: samples.length - 1 }),
          fc.infiniteStream(hostileString),
          hostileString,
          (index, stream, fallback) => {
            const data = hostileData(samples[index], () => stream.next().value) as Record<string, unknown>;
            const card = renderCard(name, data, fallback);
            for (const shown of shownStrings(card)) {
              assert.doesNotMatch(shown.text, INVISIBLE_CHARS, `${shown.path} keeps a bidi/zero-width character`);
              // Bound values are capped; a position binds at most a few (help: "**${name}** — ${summary}").
              assert.ok(shown.text.length <= 4 * MAX_TEXT_CHARS + 200, `${shown.path}: ${shown.text.length} chars`);
              if (!shown.markdown) continue;
              for (const found of interpretedMarkup(shown.text)) {
                assert.ok(
                  own.has(`${found.kind}:${found.match}`),
                  `${name} ${shown.path}: ${found.kind} "${found.match}" in ${JSON.stringify(shown.text.slice(0, 200))}`,
                );
              }
            }
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it('binds every field of every sample: shown escaped, or (not shown) carried unchanged and never evaluated', () => {
    const problems: string[] = [];
    for (const [name, samples] of Object.entries(CARD_SAMPLES)) {
      const fields = new Map<string, 'shown' | 'carried' | 'absent'>();
      for (const sample of samples) {
        const leaves: string[] = [];
        const data = markedData(sample, '', leaves);
        const card = renderCard(name, data as Record<string, unknown>, 'fallback');
        const shown = shownStrings(card);
        const everything = JSON.stringify(card);
        if (/F\d+F \S* 2/.test(everything)) problems.push(`${name}: a bound \${1+1} was evaluated`);
        leaves.forEach((field, i) => {
          const marker = `F${i}F`;
          const outcome = shown.some((s) => s.text.includes(marker))
            ? 'shown'
            : everything.includes(JSON.stringify(`${marker} ${HOSTILE_MARKED}`).slice(1, -1))
              ? 'carried'
              : 'absent';
          const before = fields.get(field);
          if (before !== 'shown') fields.set(field, before === 'carried' && outcome === 'absent' ? before : outcome);
        });
      }
      for (const [field, outcome] of fields) {
        // A command may be both shown ("Help for …") and sent back; anything else must be shown.
        const sentBack = NOT_SHOWN.has(field.replace(/^.*\./, ''));
        if (sentBack ? outcome === 'absent' : outcome !== 'shown') problems.push(`${name}.${field}: ${outcome}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('keeps the Markdown of the templates and of code (markdown tag), escaping what code interpolates', () => {
    const card = renderCard(
      'notice',
      { title: 'T', message: markdown`Use **admin enable ${'a_b [x](https://evil.example)'}**.`, actions: [] },
      'f',
    );
    const shown = shownStrings(card).find((s) => s.path === 'body[1].text');
    assert.equal(shown?.text, 'Use **admin enable a\\_b \\[x\\](https\\://evil.example)**.');
    assert.equal(shownText(shown.text), 'Use **admin enable a_b [x](https://evil.example)**.');
    const help = shownStrings(renderCard('help', CARD_SAMPLES.help[0], 'f')).map((s) => s.text);
    // The template's own bold stays bold; the bound label is escaped inside it.
    assert.ok(help.some((t) => t.includes('type **help** and a command')));
    assert.ok(help.some((t) => /^\*\*General\*\* · /.test(t)));
  });

  it('shows what the user typed, not what it looks like: visible text is the value without hidden characters', () => {
    const card = renderCard('user', { displayName: 'Alex \u202Etxt.exe\u202C', upn: 'a_b@contoso.com' }, 'f');
    const shown = shownStrings(card);
    assert.equal(shownText(shown[0].text), 'Alex txt.exe');
    assert.equal(shownText(shown[1].text), 'a_b@contoso.com');
  });

  it('caps a 20,000-character value with an ellipsis', () => {
    const card = renderCard('notice', { title: 'x'.repeat(20_000), message: 'm', actions: [] }, 'y'.repeat(20_000));
    const title = shownStrings(card)[0].text;
    assert.equal(Array.from(title).length, MAX_TEXT_CHARS);
    assert.ok(title.endsWith('…'));
    assert.ok(String(card.fallbackText).length <= 2000);
  });

  it('refuses a template that binds data where it is not classified as shown or not', () => {
    assert.throws(
      () => compileTemplate({ type: 'AdaptiveCard', body: [{ type: 'Image', altText: '${name}' }] }),
      /binds data into "altText"/,
    );
  });
});
