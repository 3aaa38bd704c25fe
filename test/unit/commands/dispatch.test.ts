import assert from 'node:assert/strict';
import { z } from 'zod';
import { createAdapter, createBotApp, type BotApp } from '../../../bot/teams/app.js';
import { noIdentityGate } from '../../../bot/commands/gate.js';
import { CommandRunner } from '../../../bot/commands/runner.js';
import { CommandRegistry, inArea } from '../../../bot/commands/registry.js';
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

  const fakeWrite = inArea(
    'users',
    defineCommand({
      name: 'fake block',
      summary: 'Blocks sign-in.',
      usage: 'fake block <user>',
      examples: ['fake block alice@contoso.com'],
      args: { positional: ['user'], schema: z.object({ user: z.string() }).strict() },
      tier: 'write',
      scopes: ['User.EnableDisableAccount.All'],
      run: async () => {
        writeRuns++;
        return { card: 'notice', data: { title: 'done', message: 'done', actions: [] }, text: 'done' };
      },
    }),
  );
  const fakeSecret: AnyCommand = {
    ...fakeWrite,
    name: 'fake tap',
    usage: 'fake tap <user>',
    tier: 'dangerous',
    personalOnly: true,
  };

  before(async () => {
    store = await openSqliteStore(':memory:');
    const discovered = await CommandRegistry.discover();
    registry = new CommandRegistry([...(discovered.all() as AnyCommand[]), fakeWrite, fakeSecret]);
    const config = loadConfig({});
    const log = captureLogger().log;
    const services = { registry };
    const runner = new CommandRunner({ registry, gate: noIdentityGate, services, log });
    bot = createBotApp({ config, store, log, runner, services }, createAdapter(config, log));
  });
  after(() => store.close());

  async function ask(text: string, overrides = {}) {
    const replies = await converse(bot, messageActivity(text, overrides));
    assert.equal(replies.length, 1, `one reply expected for "${text.slice(0, 40)}"`);
    const card = cardOf(replies[0]);
    assert.deepEqual(cardProblems(card), []);
    return { card, text: cardText(card), summary: String(replies[0].summary) };
  }

  /** The `run` buttons of a card: what each sends. */
  const runButtons = (card: Record<string, unknown>) =>
    [...JSON.stringify(card).matchAll(/"verb":"run","data":\{"text":"([^"]+)"\}/g)].map((m) => m[1]);

  it('help lists the areas with their command counts and a button each, not every command', async () => {
    const { card, text } = await ask('help');
    const areas = [...new Set(registry.all().map((c) => c.area))];
    assert.deepEqual(runButtons(card).sort(), areas.map((a) => `help ${a}`).sort());
    const users = registry.all().filter((c) => c.area === 'users').length;
    assert.match(text, new RegExp(`\\*\\*Users\\*\\* · ${users} commands`));
    assert.match(text, new RegExp(`${registry.all().length} commands in ${areas.length} areas`));
    assert.ok(!text.includes('**user search**'), 'the overview does not list the commands themselves');
  });

  it('help <area> lists that area with a usage button per command; the areas together cover every command', async () => {
    const listed: string[] = [];
    for (const area of new Set(registry.all().map((c) => c.area))) {
      const { card, text } = await ask(`help ${area}`);
      const inArea = registry.all().filter((c) => c.area === area);
      for (const command of inArea) assert.ok(text.includes(`**${command.name}**`), `${command.name} in ${area}`);
      const buttons = runButtons(card);
      assert.equal(buttons.length, inArea.length + 1, `${area}: a button per command and "All areas"`);
      for (const sent of buttons.slice(0, -1)) {
        const { text: detail } = await ask(sent);
        assert.match(detail, /Usage[\s\S]*Examples[\s\S]*What it needs/, `${sent} opens the command's help`);
      }
      listed.push(...inArea.map((c) => c.name));
    }
    assert.deepEqual(
      listed.sort(),
      registry
        .all()
        .map((c) => c.name)
        .sort(),
    );
    assert.match((await ask('help roles and pim')).text, /Roles and PIM[\s\S]*\*\*pim activate\*\*/);
  });

  it('help <command> shows usage, examples, tier, what it needs, aliases and permissions', async () => {
    const { text } = await ask('help fake block');
    assert.match(text, /fake block <user>/);
    assert.match(text, /fake block alice@contoso.com/);
    assert.match(text, /Sign-in with an active admin role[\s\S]*MFA within the last 15 minutes/);
    assert.ok(!/approval/.test(text), 'a write needs no approval');
    assert.match(text, /User.EnableDisableAccount.All/);
    const secret = (await ask('help fake tap')).text;
    assert.match(secret, /MFA within the last 5 minutes[\s\S]*second admin's approval[\s\S]*1:1 chat/);
    const help = (await ask('help help')).text;
    assert.match(help, /Nothing: anyone in the chat may run it/);
    assert.match(help, /Aliases\s*commands/);
  });

  it('a name that is both an area and a command shows the area; --command shows the command', async () => {
    assert.match((await ask('help teams')).text, /\*\*team archive\*\*/);
    const { text } = await ask('help teams --command');
    assert.match(text, /Usage[\s\S]*teams/);
    assert.ok(!text.includes('**team archive**'));
  });

  it('help for an unknown command or area suggests close ones', async () => {
    const { text } = await ask('help fak blok');
    assert.match(text, /I don't know the command "fak blok"/);
    assert.match(text, /fake block/);
    assert.match((await ask('help usres')).text, /users/);
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
