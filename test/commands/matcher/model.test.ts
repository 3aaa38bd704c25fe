import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter, createBotApp, type BotApp } from '../../../bot/teams/app.js';
import { CommandRunner } from '../../../bot/commands/runner.js';
import { noIdentityGate } from '../../../bot/commands/gate.js';
import { CommandRegistry } from '../../../bot/commands/registry.js';
import { loadConfig } from '../../../bot/config.js';
import { phrasingSettings } from '../../../bot/phrasing/config.js';
import { createPhraseModel } from '../../../bot/phrasing/model.js';
import { openSqliteStore, type BotStore } from '../../../bot/store/database.js';
import { messageActivity } from '../../helpers/activities.js';
import { cardProblems } from '../../helpers/card-check.js';
import { captureLogger } from '../../helpers/log-capture.js';
import { registerTestSecret } from '../../helpers/secrets.js';
import { cardOf, cardText, converse } from '../../helpers/test-adapter.js';

const KEY = 'stand-in-model-key-9f1c2e';
const ALICE = 'alice@contoso.onmicrosoft.com';

interface Seen {
  url: string;
  apiKey: string | undefined;
  body: {
    messages: Array<{ role: string; content: string }>;
    tools: Array<{ type: string; function: { name: string; parameters: { properties: Record<string, unknown> } } }>;
    temperature: number;
  };
}

/** A local stand-in of an Azure OpenAI chat-completions deployment: records requests, answers what the test says. */
class ModelStandIn {
  seen: Seen[] = [];
  answer: (seen: Seen) => { status: number; body: unknown; delayMs?: number } = () => ({ status: 500, body: {} });
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        const seen: Seen = {
          url: req.url ?? '',
          apiKey: req.headers['api-key'] as string | undefined,
          body: JSON.parse(raw) as Seen['body'],
        };
        this.seen.push(seen);
        const { status, body, delayMs } = this.answer(seen);
        // Two calls: restify (loaded by other test files) patches writeHead and does not return the response.
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        }, delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const toolCall = (name: string, args: unknown) => ({
  status: 200,
  body: {
    choices: [
      {
        message: {
          role: 'assistant',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name, arguments: JSON.stringify(args) } }],
        },
      },
    ],
  },
});

describe('phrase matcher: optional language model (local stand-in)', () => {
  const model = new ModelStandIn();
  const logs = captureLogger();
  let store: BotStore;
  let bot: BotApp;

  before(async () => {
    registerTestSecret(KEY);
    const endpoint = await model.start();
    const config = loadConfig({
      AZURE_OPENAI_ENDPOINT: endpoint,
      AZURE_OPENAI_KEY: KEY,
      AZURE_OPENAI_DEPLOYMENT: 'admin-gpt',
    });
    store = await openSqliteStore(':memory:');
    const registry = await CommandRegistry.discover();
    const services = { registry, phraseModel: createPhraseModel(phrasingSettings(config)!, logs.log, 500) };
    const runner = new CommandRunner({ registry, gate: noIdentityGate, services, log: logs.log });
    bot = createBotApp({ config, store, log: logs.log, runner, services }, createAdapter(config, logs.log));
  });
  after(async () => {
    await store.close();
    await model.close();
  });

  async function ask(text: string) {
    const replies = await converse(bot, messageActivity(text));
    assert.equal(replies.length, 1);
    const card = cardOf(replies[0]);
    assert.deepEqual(cardProblems(card), []);
    return { card, text: cardText(card), summary: String(replies[0].summary) };
  }

  it('is off unless endpoint, key and deployment are all set (https, or http on loopback)', () => {
    assert.equal(phrasingSettings(loadConfig({})), undefined);
    assert.throws(() => loadConfig({ AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' }), /AZURE_OPENAI_KEY/);
    assert.throws(
      () =>
        loadConfig({
          AZURE_OPENAI_ENDPOINT: 'http://models.example.com',
          AZURE_OPENAI_KEY: 'k',
          AZURE_OPENAI_DEPLOYMENT: 'd',
        }),
      /must use https/,
    );
  });

  it('asks the model only for text the matcher cannot place, with the commands as tools', async () => {
    model.seen = [];
    await ask(`disable ${ALICE}`);
    assert.equal(model.seen.length, 0, 'placed by the matcher: the model is not asked');

    model.answer = () => toolCall('user_tap', { user: ALICE, once: true });
    const { card, text, summary } = await ask(`onboarding for ${ALICE.split('@')[0]} tomorrow, Zed starts`);
    assert.equal(model.seen.length, 1);
    const [request] = model.seen;
    assert.equal(request.url, '/openai/deployments/admin-gpt/chat/completions?api-version=2024-10-21');
    assert.equal(request.apiKey, KEY);
    assert.equal(request.body.temperature, 0);
    assert.equal(request.body.messages.at(-1)?.content, 'onboarding for alice tomorrow, Zed starts');
    const tap = request.body.tools.find((t) => t.function.name === 'user_tap');
    assert.deepEqual(Object.keys(tap!.function.parameters.properties).sort(), ['minutes', 'once', 'user']);

    // Only proposed: a dangerous command on the card, with the model named, and nothing run.
    assert.match(text, /Proposed by the language model/);
    assert.match(summary, new RegExp(`^Did you mean: user tap ${ALICE} --once\\?`));
    const actions = card.actions as Array<{ type: string; verb?: string; data?: { text?: string } }>;
    assert.deepEqual(actions[0], {
      type: 'Action.Execute',
      title: `user tap ${ALICE} --once`,
      verb: 'run',
      data: { text: `user tap ${ALICE} --once` },
    });
  });

  it('shows nothing from a model answer that is not one command with its own short arguments', async () => {
    const unknownCard = /I don't know the command/;
    for (const answer of [
      toolCall('format_c_drive', {}),
      toolCall('user_tap', { user: ALICE, cursor: 'AAAAAAAAAAAAAAAAAAAA' }),
      toolCall('user_tap', { user: `${ALICE}\n--once` }),
      toolCall('user_tap', { user: 'x'.repeat(300) }),
      { status: 200, body: { choices: [{ message: { content: 'none' } }] } },
      {
        status: 200,
        body: { choices: [{ message: { tool_calls: [{ function: { name: 'user', arguments: '{' } }] } }] },
      },
      { status: 429, body: { error: { code: '429' } } },
      { ...toolCall('user', { user: ALICE }), delayMs: 1500 },
    ]) {
      model.answer = () => answer;
      assert.match((await ask('Zed Zimmer starts Monday, sort him out')).text, unknownCard);
    }
    assert.ok(logs.lines.some((l) => l.msg === 'phrase model: call failed' && l.error === 'TimeoutError'));
    assert.ok(!JSON.stringify(logs.lines).includes(KEY), 'the key is never logged');
    assert.ok(!JSON.stringify(logs.lines).includes('Zed Zimmer'), 'the phrase is never logged');
  });
});
