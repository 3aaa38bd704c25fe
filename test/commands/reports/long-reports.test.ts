import assert from 'node:assert/strict';
import type { ConversationAddress, Messenger, PostedMessage } from '../../../bot/commands/ports.js';
import type { CommandOutput } from '../../../bot/commands/types.js';
import { messageActivity } from '../../helpers/activities.js';
import { CommandHarness } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { cardOf, cardText, converse } from '../../helpers/test-adapter.js';
import { warmUp } from '../mfa/_warm-up.js';

/** Records proactive posts and in-place updates (the Teams side is bot/teams/messenger.ts). */
class RecordedMessenger implements Messenger {
  readonly events: Array<{ kind: 'post' | 'update'; at: number; text: string; messageId: string }> = [];
  private next = 0;
  async post(address: ConversationAddress, output: CommandOutput): Promise<PostedMessage> {
    const messageId = `progress-${++this.next}`;
    this.events.push({ kind: 'post', at: Date.now(), text: output.text, messageId });
    return { address, messageId };
  }
  async update(message: PostedMessage, output: CommandOutput): Promise<void> {
    this.events.push({ kind: 'update', at: Date.now(), text: output.text, messageId: message.messageId });
  }
  async members(): Promise<string[]> {
    return [];
  }
}

describe('long reports: progress card, joining a running report', function () {
  this.timeout(30_000);
  const messenger = new RecordedMessenger();
  const harness = new CommandHarness();
  before(async () => {
    await harness.start({}, { services: { messenger } });
    harness.signIn(DEMO.teamsAdmin);
    await warmUp(harness);
  });
  after(() => harness.close());
  afterEach(() => harness.dev.graph.faults.clear());

  it('a report still running after 1.5 s posts a progress card within 2 s and closes it in place', async () => {
    harness.dev.graph.faults.add({ path: '/admin/teams/userConfigurations', fault: { kind: 'delay', ms: 2_500 } });
    messenger.events.length = 0;
    const started = Date.now();
    const answer = await harness.ask('policy report TeamsMeetingPolicy');
    assert.match(answer.summary, /^TeamsMeetingPolicy: \d+ users/);
    const [post, ...updates] = messenger.events;
    assert.equal(post.kind, 'post');
    assert.ok(
      post.at - started >= 1_400 && post.at - started <= 2_000,
      `first progress card after ${post.at - started} ms`,
    );
    assert.match(post.text, /^Teams policies: /);
    const last = updates.at(-1)!;
    assert.equal(last.kind, 'update');
    assert.equal(last.messageId, post.messageId, 'updated in place');
    assert.match(last.text, /Done: TeamsMeetingPolicy: \d+ users/);
  });

  it('a quick report posts no progress card', async () => {
    messenger.events.length = 0;
    await harness.ask('policy report TeamsMeetingPolicy');
    assert.deepEqual(messenger.events, []);
  });

  it('a second request for the same report while it runs joins it: one read of the tenant, two answers', async () => {
    harness.dev.graph.faults.add({ path: '/admin/teams/userConfigurations', fault: { kind: 'delay', ms: 800 } });
    harness.dev.graph.clearLog();
    const ask = () => converse(harness.bot, messageActivity('policy report TeamsMessagingPolicy'));
    const [first, second] = await Promise.all([
      ask(),
      new Promise<Awaited<ReturnType<typeof ask>>>((resolve) => setTimeout(() => resolve(ask()), 200)),
    ]);
    const reads = harness.dev.graph.requestLog.filter((e) => e.url.includes('/admin/teams/userConfigurations'));
    assert.equal(reads.length, 1, 'the tenant was read once');
    const [a, b] = [cardText(cardOf(first[0])), cardText(cardOf(second[0]))];
    assert.match(a, /Teams policies: TeamsMessagingPolicy/);
    assert.doesNotMatch(a, /already running/);
    assert.match(b, /same report already running for your tenant/);
    assert.equal(String(first[0].summary), String(second[0].summary));
  });
});
