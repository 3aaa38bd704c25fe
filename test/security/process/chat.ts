import assert from 'node:assert/strict';
import type { DevTenant } from '../../../devtenant/index.js';
import { postActivity } from '../../helpers/bot-server.js';
import type { ConnectorStandIn } from '../../helpers/connector.js';
import { IdentityBrowser } from '../../helpers/identity-browser.js';
import { signInThroughPages } from '../../helpers/identity-sign-in.js';
import { registerTestSecret } from '../../helpers/secrets.js';
import {
  PUBLIC_BASE_URL,
  REDIRECT_URI,
  fromUser,
  readReply,
  type CardReply,
  type TeamsUser,
} from '../../identity/harness.js';

/**
 * Teams, as far as these tests need it: messages from a user to a bot process (whichever is running now), the
 * replies the bot posts to the connector stand-in, and the browser that follows sign-in links.
 */
export class Chat {
  constructor(
    private readonly dev: DevTenant,
    readonly connector: ConnectorStandIn,
  ) {}

  async waitReplies(since: number, expected: number, timeoutMs = 30_000): Promise<CardReply[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.connector.replies.length - since < expected) {
      if (Date.now() > deadline)
        throw new Error(`expected ${expected} replies, got ${this.connector.replies.length - since}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.connector.replies.slice(since).map(readReply);
  }

  /**
   * Posts a message without waiting for the turn (the HTTP answer comes when the turn is over, which for a turn
   * the test is about to kill is never). The request's own failure is ignored: the process may be gone by then.
   */
  post(botUrl: string, user: TeamsUser, text: string): void {
    postActivity(botUrl, fromUser(user, this.dev, this.connector, { text })).catch(() => undefined);
  }

  async say(botUrl: string, user: TeamsUser, text: string, expected = 1): Promise<CardReply[]> {
    const since = this.connector.replies.length;
    const response = await postActivity(botUrl, fromUser(user, this.dev, this.connector, { text }));
    assert.ok(response.status < 300, `bot answered ${response.status}`);
    return this.waitReplies(since, expected);
  }

  /**
   * Says `text` and follows every sign-in / step-up link the bot answers with (at most two), through the
   * identity pages and back to the bot's callback; returns the replies after the last link.
   */
  async sayAsSignedIn(botUrl: string, user: TeamsUser, text: string): Promise<CardReply[]> {
    let replies = await this.say(botUrl, user, text);
    for (let hops = 0; replies.at(-1)?.url && hops < 2; hops++) {
      const since = this.connector.replies.length;
      await this.followLink(replies.at(-1)!.url!, user, botUrl);
      replies = await this.waitReplies(since, 2);
    }
    return replies;
  }

  async followLink(url: string, user: TeamsUser, botUrl: string): Promise<void> {
    const browser = new IdentityBrowser(this.dev.identity.caCertPem);
    const opened = await browser.get(url.replace(PUBLIC_BASE_URL, botUrl));
    assert.equal(opened.status, 302, 'the sign-in link redirects to the identity provider');
    const signIn = await signInThroughPages(browser, opened.location!, REDIRECT_URI, {
      username: user.upn,
      password: user.password,
      totpSecret: user.totpSecret,
    });
    if (signIn.code) registerTestSecret(signIn.code);
    assert.ok(signIn.redirect, `signed in (${signIn.pages.join(', ')})`);
    const landed = await browser.get(signIn.redirect.replace(PUBLIC_BASE_URL, botUrl));
    assert.equal(landed.status, 200);
  }
}
