import { ActivityTypes, type TurnContext } from 'botbuilder';
import { renderCard } from '../cards/render.js';
import type { CommandOutput, Reply, RunOutcome } from '../commands/types.js';
import { sendOutput } from './send.js';

/** What Teams shows the clicker of an `Action.Execute` button: a card (only for them) or a short message. */
export type ActionInvokeBody =
  | { statusCode: 200; type: 'application/vnd.microsoft.card.adaptive'; value: Record<string, unknown> }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string }
  | { statusCode: 401; type: 'application/vnd.microsoft.activity.loginRequest'; value: Record<string, unknown> }
  | { statusCode: 412; type: 'application/vnd.microsoft.error.preconditionFailed'; value: Record<string, unknown> };

const MESSAGE_MAX = 300;

/**
 * The answer to one card click. In a 1:1 chat the command's cards are posted as for a typed command. In a group
 * chat or channel, what only the clicker must see — a sign-in or MFA link, a refusal, an error, a decision's own
 * answer (`audience: 'actor'`) — is kept for the invoke response, which Teams shows to the clicker alone; only
 * shared results (a new approval card, a report someone asked for) are posted for everyone. The invoke response
 * always says what happened to this click.
 */
export class CardClickAnswer {
  private kept?: CommandOutput;
  private posted?: CommandOutput;

  constructor(private readonly turn: TurnContext) {}

  private get personal(): boolean {
    const type = this.turn.activity.conversation?.conversationType;
    return type !== 'groupChat' && type !== 'channel';
  }

  readonly reply: Reply = {
    send: async (output, outcome) => {
      const mine = output.audience === 'actor' || (outcome !== undefined && outcome !== 'ok');
      if (this.personal || !mine) {
        this.posted = output;
        return sendOutput(this.turn, output);
      }
      this.kept = output;
      return undefined;
    },
  };

  /** The invoke response for this click, from what the run answered. */
  body(outcome: RunOutcome): ActionInvokeBody {
    const kept = this.kept;
    // Teams single sign-on for this click (Universal Actions): Teams gets a token silently and sends the click
    // again with it; the link is the button Teams shows when it cannot.
    if (kept?.sso) {
      const { operationId, resource, title, url } = kept.sso;
      return {
        statusCode: 401,
        type: 'application/vnd.microsoft.activity.loginRequest',
        value: {
          text: title,
          connectionName: '',
          tokenExchangeResource: { id: operationId, uri: resource },
          buttons: [{ title: 'Sign in', text: 'Sign in', type: 'signin', value: url }],
        },
      };
    }
    // A link must stay clickable: the card itself, replacing the shared card for the clicker only until it refreshes.
    if (kept?.card === 'sign-in') {
      return {
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
        value: renderCard(kept.card, kept.data, kept.text),
      };
    }
    if (kept) return message(kept.text);
    if (this.posted) {
      // A sign-in card's text carries its link: the message names the card instead.
      const what =
        this.posted.card === 'sign-in' ? `${String(this.posted.data.title)}: see the card` : this.posted.text;
      return message(this.personal ? what : `Posted in the chat: ${what}`);
    }
    return message(outcome.detail || 'Nothing to show.');
  }

  async respond(outcome: RunOutcome): Promise<void> {
    await this.turn.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: { status: 200, body: this.body(outcome) },
    });
  }
}

export async function sendActionResponse(turn: TurnContext, body: ActionInvokeBody): Promise<void> {
  await turn.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}

/** The click's token could not be used: Teams shows the message (and may sign in with the button instead). */
export function preconditionFailed(text: string): ActionInvokeBody {
  return {
    statusCode: 412,
    type: 'application/vnd.microsoft.error.preconditionFailed',
    value: { code: '412', message: text },
  };
}

export function message(text: string): ActionInvokeBody {
  const value = text.length > MESSAGE_MAX ? `${text.slice(0, MESSAGE_MAX - 1)}…` : text;
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value };
}
