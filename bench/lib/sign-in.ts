// Signs a bench admin in once, the way a person does: a read command answers with the sign-in link card, the
// "browser" follows it through the devtenant pages (password + TOTP) to the bot's callback.
import type { Activity } from 'botbuilder';
import type { DevTenant } from '../../devtenant/index.js';
import type { ConnectorStandIn } from '../../test/helpers/connector.js';
import { IdentityBrowser } from '../../test/helpers/identity-browser.js';
import { signInThroughPages } from '../../test/helpers/identity-sign-in.js';
import { PUBLIC_BASE_URL, readReply, REDIRECT_URI, type TeamsUser } from '../../test/identity/harness.js';
import { postActivity } from '../../test/helpers/bot-server.js';

export class BenchSignInError extends Error {
  readonly code = 'BENCH_SIGN_IN';
}

export const isSignInLink = (url: string | undefined): boolean => url?.startsWith(`${PUBLIC_BASE_URL}/auth/`) ?? false;

/** Follows a sign-in or step-up link from a card through the devtenant pages (password, TOTP when asked) to the bot. */
export async function followSignInLink(botUrl: string, dev: DevTenant, user: TeamsUser, url: string): Promise<void> {
  const viaBot = (u: string) => u.replace(PUBLIC_BASE_URL, botUrl);
  const browser = new IdentityBrowser(dev.identity.caCertPem);
  const start = await browser.get(viaBot(url));
  if (start.status !== 302 || !start.location) throw new BenchSignInError(`sign-in link answered ${start.status}`);
  const result = await signInThroughPages(browser, start.location, REDIRECT_URI, {
    username: user.upn,
    password: user.password,
    totpSecret: user.totpSecret,
  });
  if (!result.redirect) throw new BenchSignInError(`sign-in stopped on the identity pages: ${result.pages.join(',')}`);
  const landed = await browser.get(viaBot(result.redirect));
  if (landed.status !== 200) throw new BenchSignInError(`bot callback answered ${landed.status}`);
}

export async function signInAdmin(
  botUrl: string,
  dev: DevTenant,
  connector: ConnectorStandIn,
  user: TeamsUser,
  activity: (text: string) => Partial<Activity>,
): Promise<void> {
  const ask = async (text: string) => {
    const a = activity(text);
    const since = connector.replies.length;
    const waiting = connector.next((r) => r.conversationId === a.conversation!.id, 30_000, since);
    await (await postActivity(botUrl, a)).arrayBuffer();
    return readReply(await waiting);
  };
  // whoami needs no sign-in; a Graph read does, and answers with the sign-in link card first.
  const card = await ask('user search ali');
  if (!isSignInLink(card.url))
    throw new BenchSignInError(`expected a sign-in link card, got: ${card.text.slice(0, 120)}`);
  await followSignInLink(botUrl, dev, user, card.url ?? '');
  const after = await ask('user search ali');
  if (isSignInLink(after.url)) throw new BenchSignInError('still asked to sign in after the callback');
}
