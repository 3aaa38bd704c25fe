import * as AC from 'adaptivecards';
import { MAX_CARD_BYTES, cardBytes } from '../../bot/cards/render.js';

/**
 * Validates a bound card the way a client would parse it: the adaptivecards library reports unknown elements,
 * bad property values and version problems as events. Teams renders schema 1.5 everywhere, and refuses messages
 * over ~28 KB.
 */
export function cardProblems(card: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const version = Number(card.version);
  if (!(version > 0 && version <= 1.5)) problems.push(`version ${String(card.version)} is not ≤ 1.5`);
  if (typeof card.fallbackText !== 'string' || card.fallbackText.length === 0) problems.push('no fallbackText');
  const size = cardBytes(card);
  if (size > MAX_CARD_BYTES) problems.push(`${size} bytes exceeds ${MAX_CARD_BYTES}`);
  const json = JSON.stringify(card);
  if (json.includes('${')) problems.push('unbound template expression left in the card');
  const context = new AC.SerializationContext(new AC.Version(1, 5));
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}
