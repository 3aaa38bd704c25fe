import assert from 'node:assert/strict';
import { CommandRegistry } from '../../../bot/commands/registry.js';
import type { DevTenant } from '../../../devtenant/index.js';
import { messageActivity } from '../../helpers/activities.js';
import { postActivity, startTestBot } from '../../helpers/bot-server.js';
import { ConnectorStandIn } from '../../helpers/connector.js';
import { cardText } from '../../helpers/test-adapter.js';
import { DEMO, startTestDevTenant } from '../../helpers/devtenant.js';
import {
  followSignInLink,
  fromUser,
  say,
  startIdentityBot,
  teamsUser,
  waitReplies,
  type IdentityBot,
  type TeamsUser,
} from '../../identity/harness.js';

/**
 * Free text through the whole bot over HTTP (real composition, identity and Graph on the devtenant): a read clearly
 * meant runs through the same sign-in and gate as the typed command and says how it was understood; a change is
 * only offered, on a card whose button carries the exact command, and nothing reaches Graph until it is clicked —
 * and then the write tier still asks for MFA first.
 */
describe('free text over HTTP: understood reads run, changes are offered', function () {
  this.timeout(60_000);
  let dev: DevTenant;
  let ib: IdentityBot;
  let admin: TeamsUser;

  before(async () => {
    dev = await startTestDevTenant();
    ib = await startIdentityBot(dev, { TEAMS_SSO: 'false' }, await CommandRegistry.discover());
    admin = teamsUser(dev, 'admin');
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  const ask = (text: string) => say(ib, fromUser(admin, dev, ib.connector, { text }));

  it('"who am i" answers as whoami, saying so', async () => {
    const [reply] = await ask('who am i');
    assert.match(reply.text, /^Understood as "whoami"/);
    assert.match(reply.text, /Teams identity/);
    assert.match(String(reply.reply.activity.summary), /^Understood as "whoami":/);
  });

  it('"mfa status <upn>" signs in like the typed command, then resumes as user mfa and answers', async () => {
    const [signIn] = await ask(`mfa status ${DEMO.alice}`);
    assert.match(signIn.text, new RegExp(`^Understood as "user mfa ${DEMO.alice}"`));
    assert.match(signIn.text, /Sign in to run/);
    dev.graph.clearLog();
    const since = ib.connector.replies.length;
    const outcome = await followSignInLink(ib, dev, signIn.url!, admin);
    assert.equal(outcome.page?.status, 200);
    const [, answer] = await waitReplies(ib, since, 2);
    assert.match(answer.text, /MFA registration/);
    assert.match(answer.text, /MFA registered/);
    assert.ok(
      dev.graph.requestLog.some((r) => r.url.includes('/reports/authenticationMethods/userRegistrationDetails')),
      'the registration report was read',
    );
  });

  it('"list teams" (signed in now) answers with the teams list', async () => {
    const [reply] = await ask('list teams');
    assert.match(reply.text, /^Understood as "teams"/);
    assert.match(reply.text, /Project Phoenix/);
  });

  it('"disable <upn>" offers user block on a Did-you-mean card and writes nothing, even when clicked without MFA', async () => {
    const alice = dev.tenant.userByUpn(DEMO.alice)!;
    dev.graph.clearLog();
    const [card] = await ask(`disable ${DEMO.alice}`);
    assert.match(card.text, /Did you mean/);
    assert.match(String(card.reply.activity.summary), new RegExp(`^Did you mean: user block ${DEMO.alice}`));
    const actions = card.card!.actions as Array<{ type: string; verb?: string; data?: { text?: string } }>;
    const block = actions.find((a) => a.data?.text === `user block ${DEMO.alice}`);
    assert.equal(block?.type, 'Action.Execute');
    assert.equal(block?.verb, 'run');
    assert.equal(dev.graph.requestLog.length, 0, 'no Graph call at all for a guess');

    // The click runs the exact command through the gate: a write without fresh MFA is held for step-up.
    const since = ib.connector.replies.length;
    const invoke = fromUser(admin, dev, ib.connector, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'run', data: block!.data } },
    });
    assert.equal((await postActivity(ib.bot.url, invoke)).status, 200);
    const [stepUp] = await waitReplies(ib, since, 1);
    assert.match(stepUp.text, /Verify with MFA/);
    assert.ok(!dev.graph.requestLog.some((r) => r.method !== 'GET'), 'nothing written');
    assert.equal(dev.tenant.userById(alice.id)?.accountEnabled, alice.accountEnabled);

    // The card's last button: the commands of the area.
    assert.equal(actions.at(-1)?.data?.text, 'help users');
    const [area] = await ask('help users');
    assert.match(area.text, /user block/);
    assert.doesNotMatch(area.text, /whoami/);
  });
});

describe('free text over HTTP: one message counts once against the rate limit', () => {
  it('an understood read is one command of the per-user limit, not two', async () => {
    const connector = await new ConnectorStandIn().start();
    const bot = await startTestBot({ RATE_LIMIT_COMMANDS_PER_USER_PER_MINUTE: '2' });
    try {
      const texts: string[] = [];
      for (const text of ['who am i', 'who am i', 'who am i']) {
        const since = connector.replies.length;
        assert.equal((await postActivity(bot.url, messageActivity(text, { serviceUrl: connector.url }))).status, 200);
        const reply = await connector.next(() => true, 10_000, since);
        texts.push(cardText(reply.activity.attachments?.[0]?.content as Record<string, unknown>));
      }
      assert.match(texts[0], /Teams identity/);
      assert.match(texts[1], /Teams identity/);
      assert.match(texts[2], /Too many commands/);
    } finally {
      await bot.close();
      await connector.close();
    }
  });
});
