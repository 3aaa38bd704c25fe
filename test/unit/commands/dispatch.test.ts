import assert from 'node:assert/strict';
import { z } from 'zod';
import { createBotApp, type BotApp } from '../../../bot/app.js';
import { noIdentityGate } from '../../../bot/commands/gate.js';
import { CommandRegistry } from '../../../bot/commands/registry.js';
import { defineCommand, type AnyCommand } from '../../../bot/commands/types.js';
import { loadConfig } from '../../../bot/config.js';
import { openSqliteStore, type BotStore } from '../../../bot/store/database.js';
import { messageActivity, TEST_BOT, TEST_USER } from '../../helpers/activities.js';
import { captureLogger } from '../../helpers/log-capture.js';
import { cardOf, cardText, converse } from '../../helpers/test-adapter.js';
import { cardProblems } from '../../helpers/card-check.js';

describe('message dispatch (TestAdapter)', () => {
  let store: BotStore;
  let bot: BotApp;
  let registry: CommandRegistry;
  let writeRuns = 0;

  const fakeWrite = defineCommand({
    name: 'fake block',
    area: 'users',
    summary: 'Blocks sign-in.',
    usage: 'fake block <user>',
    examples: ['fake block alice@contoso.com'],
    args: { positional: ['user'], schema: z.object({ user: z.string() }).strict() },
    tier: 'write',
    scopes: ['User.EnableDisableAccount.All'],
    requiresSignIn: true,
    card: 'notice',
    run: async () => {
      writeRuns++;
      return { card: 'notice', data: { title: 'done', message: 'done', actions: [] }, text: 'done' };
    },
  });
  const fakeSecret = defineCommand({
    ...fakeWrite,
    name: 'fake tap',
    usage: 'fake tap <user>',
    tier: 'dangerous',
    personalOnly: true,
  });

  before(async () => {
    store = await openSqliteStore(':memory:');
    const discovered = await CommandRegistry.discover();
    registry = new CommandRegistry([...(discovered.all() as AnyCommand[]), fakeWrite, fakeSecret]);
    bot = createBotApp({
      config: loadConfig({}),
      store,
      log: captureLogger().log,
      registry,
      gate: noIdentityGate,
      services: { registry },
    });
  });
  after(() => store.close());

  async function ask(text: string, overrides = {}) {
    const replies = await converse(bot, messageActivity(text, overrides));
    assert.equal(replies.length, 1, `one reply expected for "${text.slice(0, 40)}"`);
    const card = cardOf(replies[0]);
    assert.deepEqual(cardProblems(card), []);
    return { card, text: cardText(card), summary: String(replies[0].summary) };
  }

  it('help lists every command grouped by area with its tier', async () => {
    const { card, text } = await ask('help');
    const json = JSON.stringify(card);
    for (const command of registry.all())
      assert.ok(json.includes(JSON.stringify({ type: 'TextRun', text: command.name, weight: 'Bolder' })), command.name);
    assert.match(text, /General/);
    assert.match(text, /Write · MFA/);
  });

  it('help <command> shows usage, examples, tier and permissions', async () => {
    const { text } = await ask('help fake block');
    assert.match(text, /fake block <user>/);
    assert.match(text, /fake block alice@contoso.com/);
    assert.match(text, /needs MFA within the last 15 minutes/);
    assert.match(text, /User.EnableDisableAccount.All/);
  });

  it('help for an unknown command suggests close ones', async () => {
    const { text } = await ask('help fak blok');
    assert.match(text, /I don't know the command "fak blok"/);
    assert.match(text, /fake block/);
  });

  it('whoami shows the Teams identity from the activity', async () => {
    const { text } = await ask('WhoAmI');
    assert.match(text, new RegExp(TEST_USER.aadObjectId));
    assert.match(text, /Not signed in/);
  });

  it('a misspelt command gets suggestions and help', async () => {
    const { card, summary } = await ask('hepl');
    assert.match(summary, /Did you mean: help/);
    assert.ok(JSON.stringify(card.actions).includes('"help"'));
  });

  it('strips the bot mention in a group chat', async () => {
    const { text } = await ask(`<at>${TEST_BOT.name}</at> whoami`, {
      conversation: { id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: 't', name: '' },
      entities: [{ type: 'mention', mentioned: TEST_BOT, text: `<at>${TEST_BOT.name}</at>` }],
    });
    assert.match(text, /groupChat/);
  });

  it('answers empty, whitespace-only and oversized text clearly', async () => {
    assert.match((await ask('   ')).text, /Type a command/);
    assert.match((await ask('')).text, /Type a command/);
    assert.match((await ask('x'.repeat(20_000))).text, /20000 characters; commands are at most 2000/);
  });

  it('turns an unbalanced quote into a usage card', async () => {
    const { text } = await ask('fake block "alice');
    assert.match(text, /never closed/);
  });

  it('turns bad arguments into a usage card naming the argument', async () => {
    const { text } = await ask('fake block');
    assert.match(text, /Couldn't run "fake block"/);
    assert.match(text, /<user> is required/);
    assert.match(text, /fake block <user>/);
  });

  it('never runs a tenant command without an identity provider', async () => {
    const { text } = await ask('fake block alice@contoso.com');
    assert.match(text, /Sign-in is not configured/);
    assert.equal(writeRuns, 0);
  });

  it('refuses secret-bearing commands outside a 1:1 chat before doing anything', async () => {
    const { text } = await ask('fake tap alice', {
      conversation: { id: '19:c@thread.tacv2', conversationType: 'channel', isGroup: true, tenantId: 't', name: '' },
    });
    assert.match(text, /Only in a 1:1 chat/);
    assert.equal(writeRuns, 0);
  });
});
