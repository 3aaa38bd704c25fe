import assert from 'node:assert/strict';
import { messageActivity } from '../helpers/activities.js';
import { postActivity, startTestBot, type TestBot } from '../helpers/bot-server.js';
import { ConnectorStandIn } from '../helpers/connector.js';
import { cardText } from '../helpers/test-adapter.js';

describe('bot over HTTP (real server + connector stand-in)', () => {
  let bot: TestBot;
  let connector: ConnectorStandIn;

  before(async () => {
    connector = await new ConnectorStandIn().start();
    bot = await startTestBot();
  });
  after(async () => {
    await bot.close();
    await connector.close();
  });

  async function say(text: string) {
    const since = connector.replies.length;
    const response = await postActivity(bot.url, messageActivity(text, { serviceUrl: connector.url }));
    assert.equal(response.status, 200);
    const reply = await connector.next(() => true, 10_000, since);
    const card = reply.activity.attachments?.[0]?.content as Record<string, unknown>;
    return { reply, text: cardText(card) };
  }

  it('answers help, help user, whoami and a misspelt command with cards at the connector', async () => {
    assert.match((await say('help')).text, /Tenant admin commands/);
    assert.match((await say('help whoami')).text, /Usage/);
    assert.match((await say('help user')).text, /user <upn \| object id \| display name>/);
    assert.match((await say('help usr blok')).text, /I don't know the command "usr blok"/);
    const whoami = await say('whoami');
    assert.equal(whoami.reply.conversationId, 'a:personal-1');
    assert.match(whoami.text, /Teams identity/);
    assert.match((await say('whaomi')).text, /whoami/);
  });

  it('serves health and readiness', async () => {
    assert.deepEqual(await (await fetch(`${bot.url}/healthz`)).json(), { status: 'alive' });
    const ready = await fetch(`${bot.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { store: string }).store, 'sqlite');
  });

  it('rejects malformed JSON with 400 and keeps serving', async () => {
    const response = await postActivity(bot.url, '{"type":"message", "text": ');
    assert.equal(response.status, 400);
    assert.doesNotMatch(await response.text(), /at \w+ \(|node_modules/);
    assert.match((await say('whoami')).text, /Teams identity/);
  });

  it('rejects a wrong content type with 415', async () => {
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'help',
    });
    assert.equal(response.status, 415);
  });

  it('rejects a body without an activity type with 400', async () => {
    assert.equal((await postActivity(bot.url, { text: 'help' })).status, 400);
    assert.equal((await postActivity(bot.url, '[1,2]')).status, 400);
  });

  it('rejects oversize bodies with 413, declared or streamed', async () => {
    const big = JSON.stringify(messageActivity('x'.repeat(300 * 1024), { serviceUrl: connector.url }));
    assert.equal((await postActivity(bot.url, big)).status, 413);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.match((await say('whoami')).text, /Teams identity/);
  });

  it('acknowledges unknown activity types without replying, and keeps serving', async () => {
    const since = connector.replies.length;
    const response = await postActivity(bot.url, {
      ...messageActivity(''),
      type: 'somethingNew',
      serviceUrl: connector.url,
    });
    assert.ok(response.status < 300, `status ${response.status}`);
    assert.match((await say('help')).text, /Tenant admin commands/);
    assert.equal(connector.replies.length, since + 1);
  });

  it('answers an invoke nobody handles with 501, not a crash', async () => {
    const response = await postActivity(bot.url, {
      ...messageActivity(''),
      type: 'invoke',
      name: 'composeExtension/query',
      serviceUrl: connector.url,
    });
    assert.equal(response.status, 501);
  });

  it('logs one line per turn with type, command, tier, duration, outcome and correlation id, never the text', async () => {
    await say('help whoami');
    const turn = bot.logs.lines.filter((l) => l.msg === 'turn').at(-1)!;
    assert.equal(turn.activityType, 'message');
    assert.equal(turn.command, 'help');
    assert.equal(turn.tier, 'read');
    assert.equal(turn.outcome, 'ok');
    assert.equal(typeof turn.durationMs, 'number');
    assert.match(String(turn.correlationId), /^[0-9a-f-]{36}$/);
    assert.ok(!JSON.stringify(bot.logs.lines).includes('help whoami'));
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight turn, then refuses new ones and closes the store', async () => {
    const connector = await new ConnectorStandIn().start();
    connector.delayMs = 300;
    const bot = await startTestBot();
    const inFlight = postActivity(bot.url, messageActivity('help', { serviceUrl: connector.url }));
    await connector.next(); // the turn is now waiting on the connector: in flight
    await bot.close();
    assert.equal((await inFlight).status, 200);
    await assert.rejects(bot.store.ping());
    await assert.rejects(fetch(`${bot.url}/healthz`));
    await connector.close();
  });
});
