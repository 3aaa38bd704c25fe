import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import { MessageTooLongError, UnknownCommandError, UsageError } from '../../bot/errors.js';
import { bindArgs } from '../../bot/commands/bind-args.js';
import { takeApprovalOptions } from '../../bot/commands/approval-request.js';
import { CommandRegistry } from '../../bot/commands/registry.js';
import { closestNames } from '../../bot/commands/suggest.js';
import { MAX_COMMAND_LENGTH, normalizeText, tokenize } from '../../bot/commands/tokenize.js';
import type { AnyCommand } from '../../bot/commands/types.js';
import { isGuid, odataLiteral, userPath } from '../../bot/graph/odata.js';

/**
 * Property-based checks of everything that reads text an admin typed: the parse path a message takes in
 * `dispatchCommand` (normalise → tokenize → match → approval options → bind), every command's argument schema, and
 * the OData literal escaping that keeps typed values inside their quotes. Each property fails if its protection goes.
 */
const tally = { tried: 0, refused: 0, accepted: 0 };
const EXPECTED_REFUSALS = [UsageError, MessageTooLongError, UnknownCommandError];

/** The parse steps of `dispatchCommand`, up to (not including) the gate: what an arbitrary message can reach. */
function parse(registry: CommandRegistry, raw: string): { command: AnyCommand; args: unknown } | 'empty' {
  const text = normalizeText(raw);
  if (!text) return 'empty';
  const words = tokenize(text);
  const match = registry.match(words);
  if (!match) throw new UnknownCommandError(words.slice(0, 3).join(' '), closestNames(words, registry.names()));
  const rest = words.slice(match.consumed);
  const argWords = match.command.tier === 'dangerous' ? takeApprovalOptions(rest).words : rest;
  return { command: match.command, args: bindArgs(match.command, argWords) };
}

/** Runs one case: anything thrown must be one of the expected refusals, and is counted as such. */
function outcomeOf(work: () => unknown): 'accepted' | 'refused' {
  tally.tried++;
  try {
    work();
    tally.accepted++;
    return 'accepted';
  } catch (err) {
    if (!EXPECTED_REFUSALS.some((type) => err instanceof type)) throw err;
    tally.refused++;
    return 'refused';
  }
}

/** The option names a command's schema declares (`--readonly-site` for `readonlySite`). */
function flagsOf(command: AnyCommand): string[] {
  let schema: z.ZodTypeAny = command.args.schema;
  while (schema instanceof z.ZodEffects || schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) {
    schema =
      schema instanceof z.ZodEffects
        ? schema.innerType()
        : schema instanceof z.ZodDefault
          ? schema._def.innerType
          : schema.unwrap();
  }
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
  return keys.map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
}

/** Words the way admins (and attackers) type them: flags, quotes, mentions, entities, curly quotes, odd Unicode. */
function wordArb(flags: string[]): fc.Arbitrary<string> {
  const flag = flags.length > 0 ? fc.constantFrom(...flags) : fc.constant('--x');
  return fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    flag,
    fc.tuple(flag, fc.string({ maxLength: 8 })).map(([f, v]) => `${f}=${v}`),
    fc.constantFrom(
      '--',
      '---',
      '--=',
      '-',
      '"',
      "'",
      '""',
      "''",
      '“',
      '”',
      '‘',
      '’',
      '&quot;',
      '&amp;',
      '&#39;',
      '<at>Admin Bot</at>',
      '<b>',
      '</at>',
      '\u0000',
      '\u200b',
      'true',
      'false',
      '0',
      '-1',
      '1e309',
      'NaN',
      '__proto__',
      'constructor',
      "o'brien@contoso.com",
      '00000000-0000-0000-0000-000000000000',
    ),
    fc.string({ maxLength: 10 }).map((v) => `"${v}"`),
    fc.string({ maxLength: 10 }).map((v) => `'${v}'`),
  );
}

describe('fuzzing what admins type', function () {
  this.timeout(20_000);
  let registry: CommandRegistry;

  before(async () => {
    registry = await CommandRegistry.discover();
  });
  after(() => {
    console.log(
      `fuzz: ${tally.tried} cases tried, ${tally.refused} refused (usage / too long / unknown command), ` +
        `${tally.accepted} accepted`,
    );
  });

  it('parses arbitrary Unicode text or refuses it with a usage, too-long or unknown-command error', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => void outcomeOf(() => parse(registry, text))),
      { numRuns: 3000 },
    );
  });

  it('parses command-shaped text (real names, flags, quotes, mentions) or refuses it with a usage error', () => {
    const allFlags = [...new Set(registry.all().flatMap(flagsOf))];
    const message = fc
      .tuple(
        fc.constantFrom(...registry.names()),
        fc.array(wordArb(allFlags), { maxLength: 8 }),
        fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0'),
      )
      .map(([name, words, gap]) => [name, ...words].join(gap));
    fc.assert(
      fc.property(message, (text) => void outcomeOf(() => parse(registry, text))),
      { numRuns: 6000 },
    );
  });

  it('refuses text over the length limit before tokenizing it, and never for text within it', () => {
    const around = fc.integer({ min: MAX_COMMAND_LENGTH - 5, max: MAX_COMMAND_LENGTH + 200 });
    fc.assert(
      fc.property(around, fc.constantFrom('a', 'help ', '" ', "'", '--x '), (length, unit) => {
        const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
        let thrown: unknown;
        tally.tried++;
        try {
          tokenize(text);
          tally.accepted++;
        } catch (err) {
          thrown = err;
          tally.refused++;
        }
        if (length > MAX_COMMAND_LENGTH) assert.ok(thrown instanceof MessageTooLongError, `length ${length}`);
        else
          assert.ok(
            !(thrown instanceof MessageTooLongError) && (thrown === undefined || thrown instanceof UsageError),
            `length ${length}`,
          );
      }),
      { numRuns: 1000 },
    );
  });

  it(
    "binds random words to every command's schema, or refuses with a UsageError that names the command and an " +
      'argument',
    () => {
      for (const command of registry.all()) {
        const declared = [
          ...flagsOf(command).map((f) => f.slice(2).replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())),
          ...command.args.positional.map((p) => p.replace('...', '')),
        ];
        fc.assert(
          fc.property(fc.array(wordArb(flagsOf(command)), { maxLength: 6 }), (words) => {
            tally.tried++;
            try {
              bindArgs(command, words);
              tally.accepted++;
            } catch (err) {
              if (!(err instanceof UsageError)) throw err;
              tally.refused++;
              assert.equal(err.commandName, command.name);
              // It names a declared argument, or quotes the word it could not place (an extra or unknown one).
              const argument = err.argument;
              assert.ok(
                argument !== undefined && (declared.includes(argument) || err.message.includes(argument)),
                `"${err.message}" names no argument`,
              );
            }
          }),
          { numRuns: 100 },
        );
      }
    },
  );

  it('keeps every OData string literal well-formed: quotes paired, the value round-trips, nothing outside', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.stringMatching(/^['a-z ()=$]{0,20}$/)),
        (value) => {
          tally.tried++;
          tally.accepted++;
          const literal = odataLiteral(value);
          assert.equal((literal.match(/'/g) ?? []).length % 2, 0);
          assert.equal(literalEnd(literal), literal.length - 1, 'the literal ends at its last character');
          assert.equal(literal.slice(1, -1).replace(/''/g, "'"), value);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('addresses every user by a GUID segment or a single escaped, encoded key: the value cannot leave it', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.uuid(), fc.stringMatching(/^['a-z/?#&%()$]{0,20}$/)),
        (value) => {
          tally.tried++;
          tally.accepted++;
          const path = userPath(value);
          if (isGuid(value)) {
            assert.equal(path, `/users/${value}`);
            return;
          }
          const key = /^\/users\(([^/?#&]*)\)$/.exec(path);
          assert.ok(key, `path ${JSON.stringify(path)} has one key segment`);
          const literal = decodeURIComponent(key[1]);
          assert.equal(literalEnd(literal), literal.length - 1);
          assert.equal(literal.slice(1, -1).replace(/''/g, "'"), value);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/** Where an OData string literal starting at 0 ends, read the way an OData parser reads it (`''` is a quote). */
function literalEnd(text: string): number {
  assert.equal(text[0], "'");
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== "'") continue;
    if (text[i + 1] === "'") i++;
    else return i;
  }
  return -1;
}
