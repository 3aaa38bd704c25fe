import { catalog } from '../helpers/catalog.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Activity } from 'botbuilder';
import { graphOf } from '../../bot/commands/_lib/context.js';
import { defineCommand } from '../../bot/commands/types.js';
import { CommandRegistry, inArea } from '../../bot/commands/registry.js';
import type { DevTenant } from '../../devtenant/index.js';
import { postActivity } from '../helpers/bot-server.js';
import { RAISED_RATE_LIMITS } from '../helpers/raised-rate-limits.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import {
  followSignInLink,
  fromUser,
  say,
  sayThroughSignIn,
  startIdentityBot,
  teamsUser,
  waitReplies,
  type IdentityBot,
  type TeamsUser,
} from '../identity/harness.js';

const [approval, approve, reject, cancel, approvals, verify, help, whoami] = catalog(
  'approval',
  'approval approve',
  'approval reject',
  'approval cancel',
  'approvals',
  'audit verify',
  'help',
  'whoami',
);

/** Runs of the dangerous test command, by target: the exactly-once assertions count these. */
const runs: string[] = [];

/** A dangerous command with an observable effect: it blocks the target user's sign-in. */
const probeDisable = inArea(
  'test',
  defineCommand({
    name: 'probe disable',
    summary: 'Blocks a user (dangerous, test only).',
    usage: 'probe disable <user>',
    examples: ['probe disable bob@contoso.onmicrosoft.com'],
    args: { positional: ['user'], schema: z.object({ user: z.string() }).strict() },
    tier: 'dangerous',
    scopes: ['User.ReadWrite.All'],
    async run(ctx, args) {
      runs.push(args.user);
      const response = await graphOf(ctx).patch(`/users/${args.user}`, { accountEnabled: false });
      return {
        card: 'notice',
        data: { title: 'Blocked', message: `blocked ${args.user} (request-id ${response.requestId})`, actions: [] },
        text: `blocked ${args.user}`,
      };
    },
  }),
);

const GROUP = (tenantId: string) => ({
  id: '19:approvers@thread.v2',
  conversationType: 'groupChat',
  isGroup: true,
  tenantId,
  name: 'Admins',
});

describe('approvals: two-person rule end to end (devtenant identity + Graph)', () => {
  let dev: DevTenant;
  let ib: IdentityBot;
  let requester: TeamsUser;
  let approver: TeamsUser;

  before(async () => {
    dev = await startTestDevTenant();
    const registry = new CommandRegistry([
      help,
      whoami,
      approvals,
      approval,
      approve,
      reject,
      cancel,
      verify,
      probeDisable,
    ]);
    // The 100-click burst below is about exactly-once; at the default limits the approver would then be limited for
    // a minute. The limits have their own tests (test/security/rate-limits.test.ts).
    ib = await startIdentityBot(dev, { TEAMS_SSO: 'false', ...RAISED_RATE_LIMITS }, registry);
    requester = teamsUser(dev, 'admin');
    approver = teamsUser(dev, 'useradmin');
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  const inGroup = (user: TeamsUser, text: string, extra: Partial<Activity> = {}) =>
    fromUser(user, dev, ib.connector, {
      text,
      conversation: GROUP(dev.tenant.id) as Activity['conversation'],
      ...extra,
    });

  /** Sends `text` in the group chat, completing every sign-in / step-up link the bot answers with. */
  const run = (user: TeamsUser, text: string) => sayThroughSignIn(ib, dev, user, inGroup(user, text));

  const approvalId = (text: string) => /Request ([0-9A-F]{10})/.exec(text)?.[1];

  /** Sends `text` and waits for the reply that carries a new approval request (other replies may come first). */
  async function requestApproval(user: TeamsUser, text: string) {
    const since = ib.connector.replies.length;
    await say(ib, inGroup(user, text));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = (await waitReplies(ib, since, 1)).find((r) => r.reply.method === 'POST' && approvalId(r.text));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no approval card after "${text}"`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('asks for a justification first, and never runs the command on its own', async () => {
    const replies = await run(requester, 'probe disable bob@contoso.onmicrosoft.com');
    assert.match(replies.at(-1)!.text, /Why do you need this\?/);
    assert.deepEqual(runs, []);
  });

  let id: string;
  it('posts an approval card with the resolved target, justification, ticket and expiry', async () => {
    const card = await requestApproval(
      requester,
      'probe disable bob@contoso.onmicrosoft.com --reason "Offboarding today" --ticket INC42',
    );
    id = approvalId(card.text)!;
    assert.ok(id, `no approval id in: ${card.text}`);
    const bob = dev.tenant.userByUpn('bob@contoso.onmicrosoft.com')!;
    // Named by verified identity: the UPN and object id Graph returned at request time, each its own fact.
    assert.match(
      card.text,
      new RegExp(`Target \\(UPN\\)\\nbob@contoso\\.onmicrosoft\\.com\\nTarget object id\\n${bob.id}`),
    );
    assert.match(card.text, /Requester's words\n“Offboarding today”/);
    assert.match(card.text, /Offboarding today/);
    assert.match(card.text, /INC42/);
    assert.match(card.text, /Waiting for approval/);
    assert.deepEqual((card.card!.refresh as { userIds: string[] }).userIds[0], requester.teamsId);
    assert.deepEqual(runs, []);
  });

  it('refuses self-approval', async () => {
    const [reply] = await say(ib, inGroup(requester, `approval approve ${id}`));
    assert.match(reply.text, /cannot approve or reject your own request/);
    assert.deepEqual(runs, []);
  });

  it('gives each viewer their own view on refresh, without updating the shared message', async () => {
    const refresh = async (user: TeamsUser) => {
      const before = ib.connector.replies.length;
      const response = await postActivity(
        ib.bot.url,
        inGroup(user, '', {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb: 'approvalRefresh', data: { id } }, trigger: 'automatic' },
        }),
      );
      assert.equal(ib.connector.replies.length, before, 'no message sent or updated');
      return JSON.stringify(((await response.json()) as { value: unknown }).value);
    };
    assert.match(await refresh(approver), /"title":"Approve"/);
    const requesterView = await refresh(requester);
    assert.match(requesterView, /"title":"Cancel request"/);
    assert.doesNotMatch(requesterView, /"title":"Approve"/);
  });

  it('an approver without fresh MFA steps up, then the decision completes and the command runs exactly once', async () => {
    const since = ib.connector.replies.length;
    // Signs in first with a read command (password only), so the approval then needs a step-up.
    await run(approver, 'approvals');
    const [stepUp] = await say(ib, inGroup(approver, `approval approve ${id}`));
    assert.match(stepUp.text, /MFA/);
    assert.deepEqual(runs, []);
    const after = ib.connector.replies.length;
    await followSignInLink(ib, dev, stepUp.url!, approver);
    await waitReplies(ib, after, 2);
    const deadline = Date.now() + 10_000;
    while (runs.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    assert.equal(runs.length, 1);
    const bob = dev.tenant.userByUpn('bob@contoso.onmicrosoft.com')!;
    assert.equal(runs[0], bob.id, 'runs on the pinned object id');
    while (
      !(
        await ib.bot.store.db.selectFrom('approvals').select('status').where('id', '=', id).executeTakeFirst()
      )?.status.match(/succeeded|failed/) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 25));
    }
    const row = await ib.bot.store.db
      .selectFrom('approvals')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'succeeded');
    assert.equal(row.decided_by_upn, approver.upn);
    assert.equal(bob.accountEnabled, false, 'the tenant changed');
    const updates = ib.connector.replies.slice(since).filter((r) => r.method === 'PUT');
    assert.ok(updates.length >= 1, 'the shared card was updated for everyone');
  });

  it('treats further clicks and 100 concurrent approve invokes as no-ops: still exactly one execution', async () => {
    const invoke = () =>
      postActivity(
        ib.bot.url,
        inGroup(approver, '', {
          type: 'invoke',
          name: 'adaptiveCard/action',
          id: randomUUID(),
          value: { action: { type: 'Action.Execute', verb: 'run', data: { text: `approval approve ${id}` } } },
        }),
      );
    const responses = await Promise.all(Array.from({ length: 100 }, invoke));
    assert.ok(responses.every((r) => r.status === 200));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(runs.length, 1);
  });

  it('rejects and cancels: nothing runs, and a decided request cannot be approved', async () => {
    const card = await requestApproval(
      requester,
      'probe disable alice@contoso.onmicrosoft.com --reason "Suspicious sign-ins"',
    );
    const rejectId = approvalId(card.text)!;
    // Two replies: the shared card updated for everyone (PUT) and the answer to the approver.
    const rejected = await say(ib, inGroup(approver, `approval reject ${rejectId} --note "Not without a ticket"`), 2);
    assert.ok(rejected.some((r) => r.reply.method === 'PUT' && /Rejected/.test(r.text)));
    assert.ok(rejected.some((r) => /You rejected/.test(r.text)));
    const [late] = await say(ib, inGroup(approver, `approval approve ${rejectId}`));
    assert.match(late.text, /already rejected/);

    const second = await requestApproval(
      requester,
      'probe disable alice@contoso.onmicrosoft.com --reason "Suspicious sign-ins again"',
    );
    const cancelId = approvalId(second.text)!;
    const [notMine] = await say(ib, inGroup(approver, `approval cancel ${cancelId}`));
    assert.match(notMine.text, /Only the admin who asked can cancel/);
    const cancelled = await say(ib, inGroup(requester, `approval cancel ${cancelId}`), 2);
    assert.ok(cancelled.some((r) => /is cancelled/.test(r.text)));
    const [tooLate] = await say(ib, inGroup(approver, `approval approve ${cancelId}`));
    assert.match(tooLate.text, /already cancelled/);
    assert.equal(runs.length, 1);
  });

  it('expires requests, and never re-runs one whose execution was interrupted', async () => {
    const card = await requestApproval(
      requester,
      'probe disable alice@contoso.onmicrosoft.com --reason "Expiry check"',
    );
    const expiring = approvalId(card.text)!;
    await ib.bot.store.db
      .updateTable('approvals')
      .set({ expires_at: Date.now() - 1 })
      .where('id', '=', expiring)
      .execute();
    const [expired] = await say(ib, inGroup(approver, `approval approve ${expiring}`));
    assert.match(expired.text, /already expired/);

    // A crash between "executing" and the outcome: the sweeper marks it unknown and nothing runs again.
    await ib.bot.store.db
      .updateTable('approvals')
      .set({ status: 'executing', updated_at: Date.now() - 60 * 60 * 1000 })
      .where('id', '=', id)
      .execute();
    const { ApprovalRepository } = await import('../../bot/approvals/repository.js');
    const repo = new ApprovalRepository(ib.bot.store.db);
    await repo.markAbandoned(10 * 60 * 1000);
    const row = await repo.get(id);
    assert.equal(row?.status, 'unknown');
    assert.equal(await repo.claimExecution(id), false);
    assert.equal(runs.length, 1);
  });

  it('audits request, decisions and execution in an intact chain', async () => {
    const actions = (
      await ib.bot.store.db.selectFrom('audit_log').select(['action', 'approval_id']).orderBy('seq').execute()
    )
      .filter((r) => r.approval_id === id)
      .map((r) => r.action);
    assert.deepEqual(actions.slice(0, 4), [
      'approval.request',
      'approval.decision',
      'approval.execute.start',
      'approval.execute.end',
    ]);
    const signIns = await ib.bot.store.db
      .selectFrom('audit_log')
      .select(['action', 'actor_upn', 'mfa'])
      .where('action', 'in', ['signin', 'stepup'])
      .execute();
    for (const who of [requester.upn, approver.upn]) {
      assert.ok(
        signIns.some((r) => r.action === 'signin' && r.actor_upn === who),
        `${who} sign-in audited`,
      );
      // The requester's first sign-in already asked for the MFA her dangerous command needs; the approver, signed in
      // without MFA for a read command first, stepped up.
      const withMfa = signIns.find((r) => r.actor_upn === who && JSON.parse(r.mfa!).amr.includes('mfa'));
      assert.ok(withMfa, `${who}: a sign-in or step-up with its MFA evidence audited`);
    }
    const [verified] = await say(ib, inGroup(approver, 'audit verify'));
    assert.match(verified.text, /Audit chain intact/);
  });
});
