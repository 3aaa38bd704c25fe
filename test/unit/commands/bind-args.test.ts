import assert from 'node:assert/strict';
import { z } from 'zod';
import { bindArgs } from '../../../bot/commands/bind-args.js';
import { defineCommand } from '../../../bot/commands/types.js';
import { inArea } from '../../../bot/commands/registry.js';
import { UsageError } from '../../../bot/errors.js';

const tap = inArea(
  'mfa',
  defineCommand({
    name: 'user tap',
    summary: 'test',
    usage: 'user tap <user> [--minutes <n>] [--once]',
    examples: ['user tap alice --once'],
    args: {
      positional: ['user'],
      schema: z
        .object({
          user: z.string().min(1),
          minutes: z.coerce.number().int().min(10).max(43200).default(60),
          once: z.boolean().default(false),
        })
        .strict(),
    },
    tier: 'dangerous',
    scopes: ['UserAuthenticationMethod.ReadWrite.All'],
    run: async () => ({ card: 'notice', data: {}, text: '' }),
  }),
);

const search = defineCommand({
  ...tap,
  name: 'user search',
  usage: 'user search <text...>',
  args: {
    positional: ['text...'],
    schema: z.object({ text: z.string().min(2, 'give at least 2 characters') }).strict(),
  },
  run: async () => ({ card: 'notice', data: {}, text: '' }),
});

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UsageError, `expected UsageError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a UsageError');
}

describe('bindArgs', () => {
  it('binds positionals, valued flags and switches with defaults', () => {
    assert.deepEqual(bindArgs(tap, ['alice', '--minutes', '120', '--once']), {
      user: 'alice',
      minutes: 120,
      once: true,
    });
    assert.deepEqual(bindArgs(tap, ['--once', 'alice']), { user: 'alice', minutes: 60, once: true });
    assert.deepEqual(bindArgs(tap, ['alice', '--minutes=30']), { user: 'alice', minutes: 30, once: false });
  });
  it('gives the rest of the words to a trailing variadic positional', () => {
    assert.deepEqual(bindArgs(search, ['ali', 'wil']), { text: 'ali wil' });
  });
  it('names a missing required argument', () => {
    const err = usageError(() => bindArgs(tap, []));
    assert.equal(err.argument, 'user');
    assert.match(err.message, /<user> is required/);
  });
  it('names an out-of-range flag value', () => {
    const err = usageError(() => bindArgs(tap, ['alice', '--minutes', '5']));
    assert.equal(err.argument, 'minutes');
    assert.match(err.message, /--minutes/);
  });
  it('refuses unknown options, repeated options, missing values and extra words', () => {
    assert.match(usageError(() => bindArgs(tap, ['alice', '--force'])).message, /Unknown option --force/);
    assert.match(usageError(() => bindArgs(tap, ['alice', '--minutes', '20', '--minutes', '30'])).message, /twice/);
    assert.match(usageError(() => bindArgs(tap, ['alice', '--minutes'])).message, /needs a value/);
    assert.match(usageError(() => bindArgs(tap, ['alice', 'bob'])).message, /Unexpected argument "bob"/);
  });
  it('does not let a flag smuggle in a positional value', () => {
    assert.match(usageError(() => bindArgs(tap, ['--user', 'alice'])).message, /Unknown option --user/);
  });
  it('reports the schema message for a bad value', () => {
    assert.match(usageError(() => bindArgs(search, ['a'])).message, /at least 2 characters/);
  });
});
