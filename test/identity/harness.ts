import { catalog } from '../helpers/catalog.js';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { startBot, type RunningBot, type StartOptions } from '../../bot/compose.js';
import { graphOf, sessionOf } from '../../bot/commands/_lib/context.js';
import { CommandRegistry, inArea } from '../../bot/commands/registry.js';
import { defineCommand, type AnyCommand } from '../../bot/commands/types.js';
import { loadConfig } from '../../bot/config.js';
import type { DevTenant } from '../../devtenant/index.js';
import { APP_IDS, BOT_CLIENT_SECRET, DEMO_PASSWORDS } from '../../devtenant/seed/index.js';
import { postActivity } from '../helpers/bot-server.js';
import { ConnectorStandIn, type CapturedReply } from '../helpers/connector.js';
import { IdentityBrowser } from '../helpers/identity-browser.js';
import { signInThroughPages, type SignInResult } from '../helpers/identity-sign-in.js';
import { obtainTeamsSsoToken } from '../helpers/identity-teams-sso.js';
import { captureLogger, type CapturedLog } from '../helpers/log-capture.js';
import { registerTestSecret } from '../helpers/secrets.js';
import { cardText } from '../helpers/test-adapter.js';

const [help, signout, whoami] = catalog('help', 'signout', 'whoami');

/** The bot's public URL as registered on the devtenant's bot app; the test browser maps it to the real port. */
export const PUBLIC_BASE_URL = 'http://127.0.0.1:3978';
export const REDIRECT_URI = `${PUBLIC_BASE_URL}/auth/callback`;

/** Test-only commands on the devtenant Graph, one per tier (the catalog's commands are tested elsewhere). */
export const PROBE_COMMANDS: AnyCommand[] = [
  inArea(
    'test',
    defineCommand({
      name: 'probe read',
      summary: "Reads the admin's own display name.",
      usage: 'probe read',
      examples: ['probe read'],
      args: { positional: [], schema: z.object({}).strict() },
      tier: 'read',
      scopes: ['User.Read'],
      async run(ctx) {
        const me = await graphOf(ctx).get<{ displayName: string }>(`/users/${sessionOf(ctx).oid}?$select=displayName`);
        return {
          card: 'notice',
          data: { title: 'probe read', message: `read ok: ${me.body.displayName}`, actions: [] },
          text: `read ok: ${me.body.displayName}`,
        };
      },
    }),
  ),
  inArea(
    'test',
    defineCommand({
      name: 'probe write',
      summary: "Sets the admin's own job title.",
      usage: 'probe write <title>',
      examples: ['probe write Lead'],
      args: { positional: ['title'], schema: z.object({ title: z.string() }).strict() },
      tier: 'write',
      scopes: ['User.ReadWrite.All'],
      async run(ctx, args) {
        await graphOf(ctx).patch(`/users/${sessionOf(ctx).oid}`, { jobTitle: args.title });
        return {
          card: 'notice',
          data: { title: 'probe write', message: `write ok: ${args.title}`, actions: [] },
          text: `write ok: ${args.title}`,
        };
      },
    }),
  ),
  inArea(
    'test',
    defineCommand({
      name: 'probe danger',
      summary: 'A dangerous command that must never run here.',
      usage: 'probe danger',
      examples: ['probe danger'],
      args: { positional: [], schema: z.object({}).strict() },
      tier: 'dangerous',
      scopes: ['User.ReadWrite.All'],
      async run() {
        throw new Error('probe danger ran');
      },
    }),
  ),
  inArea(
    'test',
    defineCommand({
      name: 'probe teams',
      summary: 'Needs Teams Administrator specifically.',
      usage: 'probe teams',
      examples: ['probe teams'],
      args: { positional: [], schema: z.object({}).strict() },
      tier: 'read',
      scopes: ['User.Read'],
      roles: ['69091246-20e8-4a56-aa4d-066075b2a7a8'],
      async run() {
        return { card: 'notice', data: { title: 'probe teams', message: 'teams ok', actions: [] }, text: 'teams ok' };
      },
    }),
  ),
];

export interface TeamsUser {
  upn: string;
  oid: string;
  password: string;
  totpSecret?: string;
  teamsId: string;
}

export interface IdentityBot {
  bot: RunningBot;
  connector: ConnectorStandIn;
  logs: CapturedLog;
  close(): Promise<void>;
}

/** Starts the real composition (bot/compose.ts) with identity pointed at the devtenant, plus a connector stand-in. */
export async function startIdentityBot(
  dev: DevTenant,
  env: Record<string, string> = {},
  commands?: CommandRegistry,
  start: Omit<StartOptions, 'registry'> = {},
): Promise<IdentityBot> {
  const connector = await new ConnectorStandIn().start();
  const cacheKey = randomBytes(32).toString('base64');
  registerTestSecret(cacheKey);
  registerTestSecret(BOT_CLIENT_SECRET);
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'debug',
    IDENTITY_AUTHORITY: dev.identity.authority,
    IDENTITY_CLIENT_ID: APP_IDS.bot,
    IDENTITY_CLIENT_SECRET: BOT_CLIENT_SECRET,
    EXTRA_CA_FILE: dev.identity.caCertPath,
    PUBLIC_BASE_URL,
    GRAPH_BASE_URL: dev.graph.url,
    TOKEN_CACHE_KEY: cacheKey,
    ...env,
  });
  const logs = captureLogger();
  // Core commands plus the probes: the tests do not depend on the rest of the catalog (tested on its own).
  const registry = commands ?? new CommandRegistry([help, whoami, signout, ...PROBE_COMMANDS]);
  const bot = await startBot(config, logs.log, { ...start, registry });
  return {
    bot,
    connector,
    logs,
    close: async () => {
      await bot.close();
      await connector.close();
    },
  };
}

export function teamsUser(dev: DevTenant, key: string): TeamsUser {
  const user = dev.tenant.userByUpn(`${key}@${dev.tenant.domain}`);
  if (!user) throw new Error(`no demo user ${key}`);
  const password = DEMO_PASSWORDS[user.userPrincipalName] ?? user.credentials.password;
  registerTestSecret(password);
  registerTestSecret(user.credentials.totpSecret);
  return {
    upn: user.userPrincipalName,
    oid: user.id,
    password,
    totpSecret: user.credentials.totpSecret,
    teamsId: `29:${key}`,
  };
}

/** A Teams activity from `user` in their 1:1 chat with the bot (or `conversationId`). */
export function fromUser(
  user: TeamsUser,
  dev: DevTenant,
  connector: ConnectorStandIn,
  overrides: Partial<Activity> = {},
): Partial<Activity> {
  const tenantId = (overrides.conversation as { tenantId?: string } | undefined)?.tenantId ?? dev.tenant.id;
  return {
    type: 'message',
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: connector.url,
    timestamp: new Date(),
    from: { id: user.teamsId, name: user.upn, aadObjectId: user.oid },
    recipient: { id: '28:bot', name: 'Admin Bot' },
    conversation: {
      id: `a:personal-${user.teamsId}`,
      conversationType: 'personal',
      tenantId,
      isGroup: false,
      name: '',
    },
    channelData: { tenant: { id: tenantId } },
    locale: 'en-US',
    ...overrides,
  };
}

export interface CardReply {
  reply: CapturedReply;
  card?: Record<string, unknown>;
  text: string;
  /** Action.OpenUrl of an Adaptive Card, or the signin button of an OAuthCard. */
  url?: string;
  oauth?: { tokenExchangeResource?: { id: string; uri?: string } };
}

export function readReply(reply: CapturedReply): CardReply {
  const attachment = reply.activity.attachments?.[0];
  if (attachment?.contentType === 'application/vnd.microsoft.card.oauth') {
    const content = attachment.content as {
      buttons?: { value?: string }[];
      tokenExchangeResource?: { id: string; uri?: string };
    };
    return { reply, text: '', url: content.buttons?.[0]?.value, oauth: content };
  }
  const card = attachment?.content as Record<string, unknown> | undefined;
  const actions = (card?.actions as { type: string; url?: string }[] | undefined) ?? [];
  const url = actions.find((a) => a.type === 'Action.OpenUrl')?.url;
  // Sign-in states are bearer values: the log scan checks they never reach a log line.
  if (url) registerTestSecret(new URL(url).searchParams.get('state') ?? undefined);
  return { reply, card, text: card ? cardText(card) : String(reply.activity.text ?? ''), url };
}

/** Sends a message and waits until the bot has posted `expected` replies after it (the default: one). */
export async function say(ib: IdentityBot, activity: Partial<Activity>, expected = 1): Promise<CardReply[]> {
  const since = ib.connector.replies.length;
  const response = await postActivity(ib.bot.url, activity);
  if (response.status >= 300) throw new Error(`bot answered ${response.status}`);
  return waitReplies(ib, since, expected);
}

export async function waitReplies(
  ib: IdentityBot,
  since: number,
  expected: number,
  timeoutMs = 20_000,
): Promise<CardReply[]> {
  const deadline = Date.now() + timeoutMs;
  while (ib.connector.replies.length - since < expected) {
    if (Date.now() > deadline)
      throw new Error(`expected ${expected} replies, got ${ib.connector.replies.length - since}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return ib.connector.replies.slice(since).map(readReply);
}

/** What the browser sees when the user follows a sign-in link: through the identity pages to the bot's page. */
export interface LinkOutcome {
  signIn: SignInResult;
  /** The authority's authorize URL the bot redirected to. */
  authorize?: URL;
  /** The bot's callback page (undefined when the flow stopped on the identity provider). */
  page?: { status: number; body: string };
}

/** The public URL as the test process can reach it (the "reverse proxy" in front of the bot). */
export function viaProxy(ib: IdentityBot, publicUrl: string): string {
  return publicUrl.replace(PUBLIC_BASE_URL, ib.bot.url);
}

/** Plays the browser: opens the card's link, signs in through the devtenant pages, lands on the bot's callback. */
export async function followSignInLink(
  ib: IdentityBot,
  dev: DevTenant,
  url: string,
  user: TeamsUser,
  options: { browser?: IdentityBrowser; code?: string } = {},
): Promise<LinkOutcome> {
  const browser = options.browser ?? new IdentityBrowser(dev.identity.caCertPem);
  const start = await browser.get(viaProxy(ib, url));
  if (start.status !== 302 || !start.location)
    return { signIn: { pages: [] }, page: { status: start.status, body: start.body } };
  if (options.code) registerTestSecret(options.code);
  const authorize = new URL(start.location);
  const signIn = await signInThroughPages(browser, start.location, REDIRECT_URI, {
    username: user.upn,
    password: user.password,
    totpSecret: user.totpSecret,
    code: options.code,
  });
  if (signIn.code) registerTestSecret(signIn.code);
  if (!signIn.redirect) return { signIn, authorize };
  const landed = await browser.get(viaProxy(ib, signIn.redirect));
  return { signIn, authorize, page: { status: landed.status, body: landed.body } };
}

/**
 * Sends an activity; whenever the bot answers with a sign-in or step-up link, completes it in the browser (password,
 * then TOTP when asked) — at most three links. Each completed link is followed by two replies: "signed in as …" and
 * the next step. Returns the replies after the last link.
 */
export async function sayThroughSignIn(
  ib: IdentityBot,
  dev: DevTenant,
  user: TeamsUser,
  activity: Partial<Activity>,
): Promise<CardReply[]> {
  let replies = await say(ib, activity);
  for (let hops = 0; replies.at(-1)?.url && hops < 3; hops++) {
    const since = ib.connector.replies.length;
    await followSignInLink(ib, dev, replies.at(-1)!.url!, user);
    replies = await waitReplies(ib, since, 2);
  }
  return replies;
}

/** Teams' SSO token for the bot (what the Teams client sends in signin/tokenExchange). */
export async function ssoToken(dev: DevTenant, user: TeamsUser): Promise<string> {
  const { accessToken } = await obtainTeamsSsoToken({
    authority: dev.identity.authority,
    caCertPem: dev.identity.caCertPem,
    teamsClientId: APP_IDS.teamsClient,
    botAppId: APP_IDS.bot,
    credentials: { username: user.upn, password: user.password, totpSecret: user.totpSecret },
  });
  return accessToken;
}

export function pageMessage(body: string): string {
  return (/id="message">([^<]*)</.exec(body)?.[1] ?? '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
