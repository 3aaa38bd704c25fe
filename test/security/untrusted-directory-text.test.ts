import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { CommandRegistry } from '../../bot/commands/registry.js';
import { GraphApi } from '../../bot/graph/client.js';
import { loadTrustAnchors } from '../../bot/net/trust.js';
import type { DevTenant } from '../../devtenant/index.js';
import { catalog } from '../helpers/catalog.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { interpretedMarkup, shownStrings } from '../helpers/markdown-check.js';
import { RAISED_RATE_LIMITS } from '../helpers/raised-rate-limits.js';
import { shownText } from '../helpers/test-adapter.js';
import {
  fromUser,
  sayThroughSignIn,
  startIdentityBot,
  teamsUser,
  type CardReply,
  type IdentityBot,
  type TeamsUser,
} from '../identity/harness.js';

/** What the attack in issue 16 set through Graph: a phishing link, an autolink, an image and a bidi override. */
const HOSTILE_NAME =
  '[click here](https://evil.example/phish) <https://evil.example/auto> ![i](https://evil.example/i.png) ' +
  'Bo\u202Eb\u200B';
const SHOWN_NAME =
  '[click here](https://evil.example/phish) <https://evil.example/auto> ![i](https://evil.example/i.png) Bob';

/** Nothing a client would interpret as a link, image, HTML or template on any shown string of the card. */
function assertPlain(reply: CardReply): void {
  assert.ok(reply.card, `no card: ${reply.text}`);
  for (const shown of shownStrings(reply.card)) {
    if (shown.markdown) assert.deepEqual(interpretedMarkup(shown.text), [], `${shown.path}: ${shown.text}`);
  }
}

describe('directory text is shown as plain text (real HTTP, devtenant Graph with a hostile display name)', () => {
  let dev: DevTenant;
  let ib: IdentityBot;
  let admin: TeamsUser;
  let bob: { id: string; upn: string };

  before(async () => {
    dev = await startTestDevTenant();
    ib = await startIdentityBot(
      dev,
      { TEAMS_SSO: 'false', ...RAISED_RATE_LIMITS },
      new CommandRegistry(catalog('help', 'user', 'user search', 'user delete')),
    );
    admin = teamsUser(dev, 'admin');
    const target = dev.tenant.userByUpn(`bob@${dev.tenant.domain}`)!;
    bob = { id: target.id, upn: target.userPrincipalName };
    // The attacker's step, as in the report: an admin who may edit profiles sets the name through Graph.
    const graph = new GraphApi({
      baseUrl: dev.graph.url,
      trust: loadTrustAnchors(dev.identity.caCertPath),
      accessToken: () =>
        dev.identity.issueToken({ user: `useradmin@${dev.tenant.domain}`, scopes: ['User.ReadWrite.All'] }),
    });
    await graph.patch(`/users/${bob.id}`, { displayName: HOSTILE_NAME });
    assert.equal(dev.tenant.userByUpn(bob.upn)?.displayName, HOSTILE_NAME);
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  const ask = async (text: string, extra: Partial<Activity> = {}) =>
    (await sayThroughSignIn(ib, dev, admin, fromUser(admin, dev, ib.connector, { text, ...extra }))).at(-1)!;

  it('user: the title shows the name literally, with no link, image or hidden character', async () => {
    const reply = await ask(`user ${bob.upn}`);
    assertPlain(reply);
    assert.ok(reply.text.includes(SHOWN_NAME), reply.text);
    assert.ok(!reply.text.includes('\u202E'));
  });

  it('user search: the row shows the name literally', async () => {
    const reply = await ask('user search bob');
    assertPlain(reply);
    assert.ok(reply.text.includes(SHOWN_NAME), reply.text);
  });

  it('approval request: the target is named by UPN and object id; name and justification are shown as text', async () => {
    const group = {
      id: '19:approvers@thread.v2',
      conversationType: 'groupChat',
      isGroup: true,
      tenantId: dev.tenant.id,
      name: 'Admins',
    } as Activity['conversation'];
    // Teams sends typed text as HTML: a typed "<" arrives as &lt;.
    const reply = await ask(
      `user delete ${bob.upn} --reason "see [the ticket](https://evil.example/t) \${1+1}" --ticket ` +
        `"&lt;https://evil.example&gt;"`,
      { conversation: group },
    );
    assert.match(reply.text, /Approval needed: user delete/);
    assertPlain(reply);
    const facts = Object.fromEntries(
      shownStrings(reply.card!)
        .filter((s) => /facts\[\d+\]\.(title|value)$/.test(s.path))
        .map((s) => shownText(s.text))
        .flatMap((text, i, all) => (i % 2 === 0 ? [[text, all[i + 1]]] : [])),
    ) as Record<string, string>;
    assert.equal(facts['Target (UPN)'], bob.upn);
    assert.equal(facts['Target object id'], bob.id);
    assert.equal(facts['Display name (directory)'], SHOWN_NAME);
    assert.equal(facts["Requester's words"], '“see [the ticket](https://evil.example/t) ${1+1}”');
    assert.equal(facts['Ticket (from requester)'], '<https://evil.example>');
  });
});
