import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { decodeJwt } from 'jose';
import { tenantOfAuthority } from '../../bot/identity/config.js';
import { isGuest } from '../../bot/identity/gate.js';
import { createTokenIssuer } from '../../devtenant/identity/token-issuer.js';
import type { DevTenant } from '../../devtenant/index.js';
import { ROLE } from '../../devtenant/seed/index.js';
import { postActivity } from '../helpers/bot-server.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import {
  followSignInLink,
  fromUser,
  pageMessage,
  say,
  ssoToken,
  startIdentityBot,
  teamsUser,
  waitReplies,
  type IdentityBot,
  type TeamsUser,
} from '../identity/harness.js';

/**
 * Issue 10 item 2: one table of callers who must never get a tenant command run, each tried at every tier over real
 * HTTP (bot + devtenant identity and Graph). For every case: refused (card, 412 or the identity provider's error
 * page), nothing executed (no Graph write, not even the read probe's own request, no approval request), and an audit
 * record naming the reason.
 */
const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';
const TIERS = [
  { tier: 'read', text: 'probe read' },
  { tier: 'write', text: 'probe write Hacked' },
  { tier: 'dangerous', text: 'probe danger --reason "Matrix attempt"' },
] as const;

interface Attempt {
  /** What the caller saw: a card's text, an invoke status, or the identity provider's page. */
  seen: string;
}

interface Row {
  name: string;
  /** Runs one attempt of `text` (a fresh set-up each time); returns what the caller saw. */
  attempt(text: string): Promise<Attempt>;
  /** What the caller must see. */
  refusal: RegExp;
  /** Audit actions and the outcome (reason) one of them must carry. */
  audit: { actions: string[]; outcome: RegExp };
  /** Extra proof for the case (e.g. the identity provider's sign-in log). */
  also?: () => void | Promise<void>;
  /**
   * The caller was an admin at their last role check: a read is then sent alongside the re-check (issue 14) and its
   * answer discarded, so the probe's own request may reach Graph once, but nothing of it reaches the caller.
   */
  wasAdmin?: boolean;
}

describe('security: authorization matrix (who may not run tenant commands), over HTTP against the devtenant', function () {
  this.timeout(180_000);
  let dev: DevTenant;
  let ib: IdentityBot;
  const counts = { tried: 0, refused: 0, executed: 0, audited: 0 };

  before(async () => {
    dev = await startTestDevTenant();
    ib = await startIdentityBot(dev);
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
    // The numbers SECURITY.md quotes (notes/security/abuse-authz.md).
    console.log(
      `      authorization matrix: ${counts.tried} cases tried, ${counts.refused} refused, ${counts.executed} ` +
        `executed, ${counts.audited} audited`,
    );
  });

  const message = (user: TeamsUser, text: string, overrides: Partial<Activity> = {}) =>
    fromUser(user, dev, ib.connector, { text, ...overrides });

  /** Sends a message and waits until the bot has answered (`count` replies), returning the last one's text. */
  async function send(activity: Partial<Activity>, count = 1): Promise<string> {
    const replies = await say(ib, activity, count);
    return replies.map((r) => r.text).join('\n');
  }

  /**
   * Signed out, then signed in through the link with a password (no MFA: every refusal here comes before MFA). The
   * parked command is `probe teams`, which never calls Graph, so the set-up leaves no trace in the Graph log.
   */
  async function signIn(user: TeamsUser): Promise<void> {
    const { url } = await park(user, 'probe teams');
    const since = ib.connector.replies.length;
    const outcome = await followSignInLink(ib, dev, url, user);
    assert.equal(outcome.page?.status, 200, `${user.upn} signs in`);
    await waitReplies(ib, since, 2);
  }

  /** Parks `text` for a signed-out user: the OAuthCard (SSO) comes first, then the sign-in link card. */
  async function park(user: TeamsUser, text: string) {
    await send(message(user, 'signout'));
    const [oauth, card] = await say(ib, message(user, text), 2);
    return { exchangeId: oauth.oauth!.tokenExchangeResource!.id, url: card.url! };
  }

  async function exchange(user: TeamsUser, id: string, token: string): Promise<Attempt> {
    const response = await postActivity(
      ib.bot.url,
      message(user, '', {
        type: 'invoke',
        name: 'signin/tokenExchange',
        value: { id, connectionName: '', token },
        text: undefined,
      }),
    );
    const body = (await response.json()) as { failureDetail?: string };
    return { seen: `${response.status} ${body.failureDetail ?? ''}` };
  }

  function withRoleRemoved(user: TeamsUser): () => void {
    const removed = dev.tenant.roleAssignments.filter((a) => a.principalId === user.oid);
    for (const assignment of removed)
      dev.tenant.roleAssignments.splice(dev.tenant.roleAssignments.indexOf(assignment), 1);
    return () => dev.tenant.roleAssignments.push(...removed);
  }

  function setEnabled(user: TeamsUser, enabled: boolean): void {
    dev.tenant.userById(user.oid)!.accountEnabled = enabled;
  }

  const rows: Row[] = [
    {
      name: "other tenant: the activity comes from another tenant than the bot's",
      attempt: async (text) => {
        const admin = teamsUser(dev, 'admin');
        const conversation = {
          id: `a:personal-${admin.teamsId}`,
          conversationType: 'personal',
          tenantId: OTHER_TENANT,
          isGroup: false,
          name: '',
        };
        return {
          seen: await send(
            message(admin, text, {
              conversation: conversation as Activity['conversation'],
              channelData: { tenant: { id: OTHER_TENANT } },
            }),
          ),
        };
      },
      refusal: /Another organization/,
      audit: { actions: ['command.refused'], outcome: /^other-tenant$/ },
    },
    {
      name: 'other tenant: the Teams SSO token was issued by another tenant',
      attempt: async (text) => {
        const admin = teamsUser(dev, 'admin');
        const { exchangeId } = await park(admin, text);
        const good = await ssoToken(dev, admin);
        const issuer = createTokenIssuer(
          dev.tenant,
          join(process.cwd(), 'test-results', 'devtenant'),
          Number(new URL(dev.identity.url).port),
        );
        // Entra signs every tenant's tokens with the same keys: only the issuer and tid tell them apart.
        const foreign = await issuer.sign({
          ...decodeJwt(good),
          tid: OTHER_TENANT,
          iss: dev.identity.issuer.replace(dev.tenant.id, OTHER_TENANT),
        });
        return exchange(admin, exchangeId, foreign);
      },
      refusal: /^412 .*refused the Teams token/,
      audit: { actions: ['signin.refused'], outcome: /^idp-refused$/ },
    },
    {
      name: 'guest user (#EXT#), even one given Global Administrator',
      attempt: async (text) => {
        const guestUpn = dev.tenant.users.find(
          (u) => u.userPrincipalName.includes('#EXT#') && u.accountEnabled,
        )!.userPrincipalName;
        const guest = teamsUser(dev, guestUpn.split('@')[0]);
        if (!dev.tenant.roleAssignments.some((a) => a.principalId === guest.oid)) {
          const template = dev.tenant.roleAssignments.find((a) => a.roleDefinitionId === ROLE.globalAdministrator)!;
          dev.tenant.roleAssignments.push({ ...template, id: `matrix-guest-${guest.oid}`, principalId: guest.oid });
        }
        if (/Not signed in/.test(await send(message(guest, 'whoami')))) await signIn(guest);
        return { seen: await send(message(guest, text)) };
      },
      refusal: /Guests cannot run admin commands/,
      audit: { actions: ['command.refused'], outcome: /^guest$/ },
    },
    {
      name: 'non-admin (alice)',
      attempt: async (text) => {
        const alice = teamsUser(dev, 'alice');
        if (/Not signed in/.test(await send(message(alice, 'whoami')))) await signIn(alice);
        return { seen: await send(message(alice, text)) };
      },
      refusal: /Admin role needed/,
      audit: { actions: ['command.refused'], outcome: /^not-admin$/ },
    },
    {
      name: 'admin whose role was removed after sign-in',
      attempt: async (text) => {
        const admin = teamsUser(dev, 'useradmin');
        await signIn(admin);
        assert.match(await send(message(admin, 'probe read')), /read ok/, 'an admin a moment ago');
        const restore = withRoleRemoved(admin);
        try {
          return { seen: await send(message(admin, text)) };
        } finally {
          restore();
        }
      },
      refusal: /Admin role needed/,
      audit: { actions: ['command.refused'], outcome: /^not-admin$/ },
      wasAdmin: true,
    },
    {
      name: 'disabled account: the identity provider refuses the sign-in',
      attempt: async (text) => {
        const admin = teamsUser(dev, 'teamsadmin');
        const { url } = await park(admin, text);
        setEnabled(admin, false);
        try {
          const outcome = await followSignInLink(ib, dev, url, admin);
          assert.equal(outcome.signIn.redirect, undefined, "never reaches the bot's callback");
          return { seen: outcome.signIn.finalPage?.body ?? '' };
        } finally {
          setEnabled(admin, true);
        }
      },
      refusal: /AADSTS50057/,
      audit: { actions: ['command.held'], outcome: /^sign-in-required$/ },
      also: () => {
        const admin = teamsUser(dev, 'teamsadmin');
        const last = dev.tenant.signIns.filter((s) => s.userId === admin.oid).at(-1) as unknown as {
          status: { errorCode: number; failureReason: string };
        };
        assert.notEqual(last.status.errorCode, 0, "the tenant's sign-in log records a failure");
        assert.match(last.status.failureReason, /disabled/);
      },
    },
    {
      name: 'account disabled after sign-in: Graph refuses the role check, the refresh says the account is disabled',
      attempt: async (text) => {
        const admin = teamsUser(dev, 'teamsadmin');
        await signIn(admin);
        setEnabled(admin, false);
        try {
          return { seen: await send(message(admin, text)) };
        } finally {
          setEnabled(admin, true);
        }
      },
      // Not a sign-in card: signing in again cannot work for a disabled account.
      refusal: /Your account is disabled[\s\S]*teamsadmin@contoso\.onmicrosoft\.com is disabled/,
      audit: { actions: ['command.refused'], outcome: /^account-disabled$/ },
      also: async () => {
        // The sign-in was kept: enabled again, the admin runs commands without a new link.
        const admin = teamsUser(dev, 'teamsadmin');
        assert.match(await send(message(admin, 'probe read')), /read ok/);
      },
      wasAdmin: true,
    },
    {
      name: 'mismatched oid: the sign-in link is completed by another user',
      attempt: async (text) => {
        const admin = teamsUser(dev, 'admin');
        const { url } = await park(admin, text);
        const since = ib.connector.replies.length;
        const outcome = await followSignInLink(ib, dev, url, teamsUser(dev, 'helpdesk'));
        await waitReplies(ib, since, 1);
        return { seen: `${outcome.page?.status} ${pageMessage(outcome.page?.body ?? '')}` };
      },
      refusal: /^403 .*not the Teams user who asked/,
      audit: { actions: ['signin.refused'], outcome: /^other-user$/ },
    },
    {
      name: 'mismatched oid: the Teams SSO token belongs to another user',
      attempt: async (text) => {
        const admin = teamsUser(dev, 'admin');
        const { exchangeId } = await park(admin, text);
        return exchange(admin, exchangeId, await ssoToken(dev, teamsUser(dev, 'alice')));
      },
      refusal: /^412 .*belongs to another user/,
      audit: { actions: ['signin.refused'], outcome: /^other-user:/ },
    },
    {
      name: 'Teams user without aadObjectId',
      attempt: async (text) => {
        const admin = teamsUser(dev, 'admin');
        const activity = message(admin, text);
        activity.from = { id: admin.teamsId, name: 'Someone' };
        return { seen: await send(activity) };
      },
      refusal: /No Microsoft Entra identity/,
      audit: { actions: ['command.refused'], outcome: /^no-entra-identity$/ },
    },
  ];

  for (const row of rows) {
    describe(row.name, () => {
      for (const { tier, text } of TIERS) {
        it(`${tier}: refused, nothing executed, audited`, async () => {
          counts.tried++;
          const auditBefore = await ib.bot.store.db
            .selectFrom('audit_log')
            .select('seq')
            .orderBy('seq', 'desc')
            .limit(1)
            .executeTakeFirst();
          const graphBefore = dev.graph.requestLog.length;
          const approvalsBefore = (await ib.bot.store.db.selectFrom('approvals').select('id').execute()).length;

          const { seen } = await row.attempt(text);
          await new Promise((r) => setTimeout(r, 100)); // anything resumed in the background would show up now

          assert.match(seen, row.refusal);
          counts.refused++;
          const graph = dev.graph.requestLog.slice(graphBefore);
          const writes = graph.filter((r) => r.method !== 'GET' && !r.url.includes('/$batch'));
          const probeRead = graph.filter((r) => /\/users\/[^/?]+\?\$select=displayName/.test(r.url));
          const approvals =
            (await ib.bot.store.db.selectFrom('approvals').select('id').execute()).length - approvalsBefore;
          // The set-up itself may run the read probe once for the "role removed" row (before the removal).
          const setUpReads = row.name.startsWith('admin whose role') ? 1 : 0;
          const discardedReads = tier === 'read' && row.wasAdmin ? 1 : 0;
          if (writes.length > 0 || probeRead.length > setUpReads + discardedReads || approvals > 0) counts.executed++;
          assert.deepEqual(
            writes.map((r) => `${r.method} ${r.url}`),
            [],
            'no Graph write',
          );
          assert.ok(
            probeRead.length >= setUpReads && probeRead.length <= setUpReads + discardedReads,
            `the command itself never ran (probe reads: ${probeRead.length})`,
          );
          assert.doesNotMatch(seen, /read ok/, 'nothing of a discarded read is shown');
          assert.equal(approvals, 0, 'no approval request');

          const records = await ib.bot.store.db
            .selectFrom('audit_log')
            .select(['action', 'outcome', 'command'])
            .where('seq', '>', Number(auditBefore?.seq ?? 0))
            .execute();
          // Public commands of the set-up (signout, whoami) are audited too; the attempted one must never start.
          const attempted = text.split(' ').slice(0, 2).join(' ');
          const started = records.filter((r) => r.action === 'command.start' && r.command === attempted).length;
          assert.equal(started, attempted === 'probe read' ? setUpReads : 0, 'the attempted command never started');
          const named = records.filter(
            (r) => row.audit.actions.includes(r.action) && row.audit.outcome.test(r.outcome),
          );
          assert.ok(named.length > 0, `an audit record names the reason; got ${JSON.stringify(records)}`);
          counts.audited++;
          await row.also?.();
        });
      }
    });
  }
});

describe('security: who is a guest, which tenant is home (unit)', () => {
  const tid = '7d5c2f1e-3b8a-4c6d-9e0f-1a2b3c4d5e6f';
  it('a guest is recognised by #EXT# in the UPN or by an idp claim of another identity provider', () => {
    assert.equal(isGuest({ upn: 'chloe_fabrikam.com#EXT#@contoso.onmicrosoft.com', tid }), true);
    // Real guest tokens often carry the home address as preferred_username and the home tenant as idp.
    assert.equal(
      isGuest({ upn: 'chloe@fabrikam.com', idp: 'https://sts.windows.net/0b0b0b0b-0000-4000-8000-000000000000/', tid }),
      true,
    );
    assert.equal(isGuest({ upn: 'someone@outlook.com', idp: 'live.com', tid }), true);
    assert.equal(isGuest({ upn: 'admin@contoso.onmicrosoft.com', tid }), false);
    assert.equal(isGuest({ upn: 'admin@contoso.onmicrosoft.com', idp: `https://sts.windows.net/${tid}/`, tid }), false);
  });

  it('the home tenant is the GUID in the authority path; organizations/common/domain names have none', () => {
    assert.equal(tenantOfAuthority(`https://login.microsoftonline.com/${tid.toUpperCase()}/`), tid);
    assert.equal(tenantOfAuthority('https://login.microsoftonline.com/organizations/'), undefined);
    assert.equal(tenantOfAuthority('https://login.microsoftonline.com/contoso.onmicrosoft.com/'), undefined);
  });
});
