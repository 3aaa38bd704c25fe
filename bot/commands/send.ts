import { MessageFactory, type TurnContext } from 'botbuilder';
import { cardAttachment, renderCard, summaryText } from '../cards/render.js';
import type { CommandOutput } from './types.js';

/** Renders a command's output as a card message with a plain-text summary for notifications. */
export function outputActivity(output: CommandOutput) {
  const card = renderCard(output.card, output.data, output.text);
  const activity = MessageFactory.attachment(cardAttachment(card));
  activity.summary = summaryText(output.text);
  return activity;
}

export async function sendOutput(turn: TurnContext, output: CommandOutput): Promise<void> {
  await turn.sendActivity(outputActivity(output));
}
