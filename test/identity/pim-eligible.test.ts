import { catalog } from '../helpers/catalog.js';
import assert from 'node:assert/strict';
import { CommandRegistry } from '../../bot/commands/registry.js';
import type { DevTenant } from '../../devtenant/index.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import {
  followSignInLink,
  fromUser,
  say,
  startIdentityBot,
  teamsUser,
  waitReplies,
  type IdentityBot,
} from './harness.js';

const [help, whoami, pimEligible, user] = catalog('help', 'whoami', 'pim eligible', 'user');

describe('identity: just-in-time admins (PIM-eligible only)', () => {
  let dev: DevTenant;
  let ib: IdentityBot;
  before(async () => {
    dev = await startTestDevTenant();
    ib = await startIdentityBot(dev, { TEAMS_SSO: 'false' }, new CommandRegistry([help, whoami, pimEligible, user]));
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  it('lets an eligible-only admin see the role they can activate, and nothing else', async () => {
    const bob = teamsUser(dev, 'bob');
    assert.deepEqual(dev.tenant.activeRoleTemplateIds(bob.oid), [], 'bob holds no active role');
    const [card] = await say(ib, fromUser(bob, dev, ib.connector, { text: 'pim eligible' }));
    const since = ib.connector.replies.length;
    await followSignInLink(ib, dev, card.url!, bob);
    const [, result] = await waitReplies(ib, since, 2);
    assert.match(result.text, /Teams Administrator/);
    assert.doesNotMatch(result.text, /Admin role needed/);

    const [refused] = await say(ib, fromUser(bob, dev, ib.connector, { text: 'user alice@contoso.onmicrosoft.com' }));
    assert.match(refused.text, /Admin role needed/);
  });
});
