import { randomUUID } from 'node:crypto';
import { ActivityTypes, type Storage, type TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { Request, Response } from 'restify';
import { DEFAULT_CHANNEL_TOKEN_ISSUER, type BotConfig } from '../config.js';
import { markdown } from '../cards/plain-text.js';
import { renderCard } from '../cards/render.js';
import type { CommandRunner } from '../commands/runner.js';
import { normalizeText } from '../commands/tokenize.js';
import type {
  CommandRequest,
  CommandServices,
  ConversationKind,
  Reply,
  RunOrigin,
  RunOutcome,
} from '../commands/types.js';
import type { IdentityService, SignInCompletion } from '../identity/index.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { Logger } from '../log.js';
import type { BotStore } from '../store/database.js';
import { isStoreUnavailable, storeUnavailableOutput } from '../store/unavailable.js';
import { answerRejectedTokensWith401 } from './inbound-auth.js';
import { channelCredentialsFactory } from './channel-credentials.js';
import { loadTrustAnchors } from '../net/trust.js';
import { addressOfTurn } from './messenger.js';
import { sendOutput } from './send.js';
import { CardClickAnswer, message, preconditionFailed, sendActionResponse } from './card-click.js';
import { signInFromCardClick, type CardClickToken } from './card-sso.js';
import { typedReply } from './typed-reply.js';
import { installSsoRoutes } from './sso-routes.js';
import { notice } from '../commands/notice.js';

const OUTCOME_KEY = Symbol('turnOutcome');

export interface BotApp {
  app: Application<TurnState>;
  adapter: TeamsAdapter;
  /** Processes one POST /api/messages (authentication, turn, invoke response). */
  handle(req: Request, res: Response): Promise<void>;
}

export interface BotAppDeps {
  config: BotConfig;
  store: BotStore;
  log: Logger;
  runner: CommandRunner;
  services: CommandServices;
  /** Teams SSO invokes (present with identity configured). */
  signIn?: { identity: IdentityService; completion: SignInCompletion; limits?: RateLimiter };
}

function conversationKind(turn: TurnContext): ConversationKind {
  const type = turn.activity.conversation?.conversationType;
  return type === 'groupChat' || type === 'channel' ? type : 'personal';
}

/** Who asked, where, and what: read from a message activity (mention markup and entities already handled). */
export function requestFromActivity(turn: TurnContext): CommandRequest {
  const { from, conversation, channelData } = turn.activity;
  const tenantId = conversation?.tenantId ?? (channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return {
    text: normalizeText(turn.activity.text ?? ''),
    actor: { teamsUserId: from?.id ?? 'unknown', aadObjectId: from?.aadObjectId, name: from?.name, tenantId },
    conversation: { id: conversation?.id ?? 'unknown', kind: conversationKind(turn), tenantId },
  };
}

/** Runs a person's request from this turn through the runner; its cards are sent in the turn. */
function runFromTurn(
  runner: CommandRunner,
  turn: TurnContext,
  request: CommandRequest,
  origin: RunOrigin,
  reply: Reply = { send: (output) => sendOutput(turn, output) },
): Promise<RunOutcome> {
  const correlationId = String(turn.turnState.get('correlationId') ?? randomUUID());
  return runner.run({ ...request, origin, address: addressOfTurn(turn), correlationId }, reply);
}

/**
 * Bot Framework authentication for the adapter. With an app id every inbound request must carry a valid channel
 * token (botbuilder validates issuer, audience, signature, serviceUrl and endorsements); without one the adapter
 * accepts anonymous requests, which the config only allows on loopback (the Agents Playground sends no token).
 */
export function botFrameworkAuthConfig(config: BotConfig): Record<string, string | undefined> {
  // botbuilder switches to its parameterized (all-or-nothing) mode when any channel setting is present, so they are
  // passed only when configured; otherwise the public-cloud defaults apply.
  const channel = config.BOT_OPENID_METADATA_URL
    ? {
        ToBotFromChannelOpenIdMetadataUrl: config.BOT_OPENID_METADATA_URL,
        ToBotFromChannelTokenIssuer: config.BOT_TOKEN_ISSUER ?? DEFAULT_CHANNEL_TOKEN_ISSUER,
        ToChannelFromBotLoginUrl: config.BOT_LOGIN_URL,
        ToChannelFromBotOAuthScope: config.BOT_OAUTH_SCOPE,
        OAuthUrl: config.BOT_OAUTH_URL,
        ToBotFromEmulatorOpenIdMetadataUrl: config.BOT_EMULATOR_OPENID_METADATA_URL,
        CallerId: config.BOT_CALLER_ID,
      }
    : {};
  return {
    ...channel,
    MicrosoftAppId: config.MICROSOFT_APP_ID ?? '',
    MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD ?? '',
    // The credential factory insists on an id for SingleTenant, so the type only applies once an id is set.
    MicrosoftAppType: config.MICROSOFT_APP_ID ? config.MICROSOFT_APP_TYPE : 'MultiTenant',
    MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID,
  };
}

/** The Bot Framework adapter: created first, since everything that posts to Teams needs it. */
export function createAdapter(config: BotConfig, log: Logger): TeamsAdapter {
  return new TeamsAdapter(
    botFrameworkAuthConfig(config),
    channelCredentialsFactory(config, loadTrustAnchors(config.EXTRA_CA_FILE), log),
  );
}

/** A card's inputs (justification and ticket of a dangerous command) become the options they stand for. */
function withCardInputs(data: { text?: unknown; reason?: unknown; ticket?: unknown } | undefined): string {
  const quote = (value: string) =>
    `"${value
      .replace(/["\u201C\u201D]/g, "'")
      .replace(/\s+/g, ' ')
      .trim()}"`;
  let text = typeof data?.text === 'string' ? data.text : '';
  if (typeof data?.reason === 'string' && data.reason.trim()) text += ` --reason ${quote(data.reason)}`;
  if (typeof data?.ticket === 'string' && data.ticket.trim()) text += ` --ticket ${quote(data.ticket)}`;
  return text;
}

/** Thin Teams routing: messages go to the command dispatcher; everything else is acknowledged or welcomed. */
export function createBotApp(deps: BotAppDeps, adapter: TeamsAdapter): BotApp {
  const { log } = deps;
  answerRejectedTokensWith401(adapter);
  const app = new Application<TurnState>({
    adapter,
    botAppId: deps.config.MICROSOFT_APP_ID ?? '',
    storage: deps.store.storage as unknown as Storage,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });

  adapter.use(async (turn, next) => {
    const started = process.hrtime.bigint();
    const correlationId = randomUUID();
    turn.turnState.set('correlationId', correlationId);
    let failed = false;
    try {
      await next();
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      const outcome = turn.turnState.get(OUTCOME_KEY) as RunOutcome | undefined;
      log.info(
        {
          correlationId,
          activityType: turn.activity.type,
          invokeName: turn.activity.type === ActivityTypes.Invoke ? turn.activity.name : undefined,
          command: outcome?.command,
          tier: outcome?.tier,
          outcome: failed ? 'error' : (outcome?.outcome ?? 'ignored'),
          errorCode: outcome?.errorCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'turn',
      );
    }
  });

  adapter.onTurnError = async (turn: TurnContext, err: unknown) => {
    const correlationId = String(turn.turnState.get('correlationId') ?? 'unknown');
    const storeDown = isStoreUnavailable(err);
    log.error(
      {
        correlationId,
        storeUnavailable: storeDown || undefined,
        err:
          err instanceof Error
            ? { type: err.name, message: err.message, stack: storeDown ? undefined : err.stack }
            : String(err),
      },
      'turn failed',
    );
    if (turn.activity.type === ActivityTypes.Message && storeDown) {
      // Turn state is read from the database before any command is looked at: nothing ran.
      await sendOutput(turn, storeUnavailableOutput(correlationId)).catch(() => undefined);
    } else if (turn.activity.type === ActivityTypes.Message) {
      await sendOutput(turn, {
        card: 'error',
        data: {
          title: 'Something went wrong',
          message: 'The bot could not finish this turn. Nothing more was attempted.',
          graphCode: '',
          requestId: '',
          correlationId,
        },
        text: `The bot could not finish this turn (reference ${correlationId}).`,
      }).catch(() => undefined);
    }
  };

  app.activity(ActivityTypes.Message, async (turn) => {
    const reply = typedReply(turn, deps.services.messenger, log);
    turn.turnState.set(OUTCOME_KEY, await runFromTurn(deps.runner, turn, requestFromActivity(turn), 'chat', reply));
  });

  // "Run from card": follow-up buttons (More, Block, Approve…) carry a command's text and go through the same
  // parse → gate → run path as a typed command, as the clicking user. The invoke response carries this click's
  // outcome; in a group what only the clicker must see stays in it (card-click.ts).
  app.adaptiveCards.actionExecute<{ text?: unknown; reason?: unknown; ticket?: unknown }>(
    'run',
    async (turn, _state, data) => {
      const request = { ...requestFromActivity(turn), text: normalizeText(withCardInputs(data)) };
      const auth = (turn.activity.value as { authentication?: CardClickToken } | undefined)?.authentication;
      if (auth?.token && deps.signIn) {
        const signIn = await signInFromCardClick(turn, deps.signIn, auth);
        if (signIn.kind !== 'signed-in') {
          await sendActionResponse(
            turn,
            signIn.kind === 'refused'
              ? preconditionFailed(signIn.message)
              : message('You are signed in; your command already ran from the sign-in link.'),
          );
          return '';
        }
      }
      const answer = new CardClickAnswer(turn);
      const outcome = await runFromTurn(deps.runner, turn, request, 'card', answer.reply);
      turn.turnState.set(OUTCOME_KEY, outcome);
      await answer.respond(outcome);
      return '';
    },
  );

  // Universal Actions refresh of an approval card: answer with this viewer's view in the invoke response only.
  // Never update the shared message here — that is what makes refresh loops (each update triggers refreshes).
  app.addRoute(
    async (turn) =>
      turn.activity.type === ActivityTypes.Invoke &&
      turn.activity.name === 'adaptiveCard/action' &&
      (turn.activity.value as { action?: { verb?: string } })?.action?.verb === 'approvalRefresh',
    async (turn) => {
      const id = String((turn.activity.value as { action?: { data?: { id?: unknown } } }).action?.data?.id ?? '');
      const view = /^[0-9A-F]{10}$/i.test(id)
        ? await deps.services.approvals?.viewFor(id.toUpperCase(), {
            aadObjectId: turn.activity.from?.aadObjectId,
            tenantId: requestFromActivity(turn).conversation.tenantId,
          })
        : undefined;
      const body = view
        ? {
            statusCode: 200,
            type: 'application/vnd.microsoft.card.adaptive',
            value: renderCard(view.card, view.data, view.text),
          }
        : {
            statusCode: 404,
            type: 'application/vnd.microsoft.error',
            value: { code: 'NotFound', message: 'No such approval request.' },
          };
      await turn.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
    },
    true,
  );

  if (deps.signIn) {
    const { identity, completion, limits } = deps.signIn;
    installSsoRoutes(app, identity, completion, deps.store, limits);
  }

  app.conversationUpdate('membersAdded', async (turn) => {
    const botId = turn.activity.recipient?.id;
    if (!turn.activity.membersAdded?.some((m) => m.id === botId)) return;
    await sendOutput(
      turn,
      notice(
        'Tenant admin bot',
        markdown`
I run Microsoft 365 and Teams admin commands for you, with MFA for changes and a second admin for the dangerous ones. Start with **help**.
        `,
        {
          actions: [
            { title: 'help', command: 'help' },
            { title: 'whoami', command: 'whoami' },
          ],
          text: 'Tenant admin bot: type "help" to see the commands.',
        },
      ),
    );
  });

  return {
    app,
    adapter,
    handle: (req, res) => adapter.process(req, res, (turn) => app.run(turn).then(() => undefined)),
  };
}
