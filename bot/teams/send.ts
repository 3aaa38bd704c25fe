import { CardFactory, MessageFactory, type Attachment, type TurnContext } from 'botbuilder';
import { plainText } from '../cards/plain-text.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, renderCard, summaryText } from '../cards/render.js';
import type { CommandOutput } from '../commands/types.js';

export function cardAttachment(card: Record<string, unknown>): Attachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}

/**
 * A command's output as a card message with a plain-text summary for notifications. A `header` (scheduled
 * reports) is a subtle first line of the card and starts the summary.
 */
export function outputActivity(output: CommandOutput) {
  const text = output.header ? `${output.header}\n${output.text}` : output.text;
  const card = renderCard(output.card, output.data, text);
  if (output.header) {
    const body = Array.isArray(card.body) ? card.body : [];
    card.body = [
      { type: 'TextBlock', text: plainText(output.header, 300), isSubtle: true, size: 'Small', wrap: true },
      ...body,
    ];
  }
  const activity = MessageFactory.attachment(cardAttachment(card));
  activity.summary = summaryText(output.header ? `${output.header}: ${output.text}` : output.text);
  return activity;
}

/**
 * Sends an output in a turn. A sign-in card in a 1:1 chat with Teams SSO on is preceded by an OAuthCard: Teams
 * tries a silent token exchange for the resource first (signin/tokenExchange), the card's button is its fallback.
 * Returns the id of the card's message.
 */
export async function sendOutput(turn: TurnContext, output: CommandOutput): Promise<string | undefined> {
  if (output.sso) {
    const { operationId, resource, title, url } = output.sso;
    const oauth = CardFactory.oauthCard('', 'Sign in', title, url, { id: operationId, uri: resource });
    await turn.sendActivity(MessageFactory.attachment(oauth));
  }
  return (await turn.sendActivity(outputActivity(output)))?.id;
}
