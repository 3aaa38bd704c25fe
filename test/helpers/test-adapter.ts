import { TestAdapter, type Activity, type Attachment } from 'botbuilder';
import type { BotApp } from '../../bot/teams/app.js';

/** Runs one activity through the teams-ai app on botbuilder's TestAdapter and returns what the bot sent. */
export async function converse(bot: BotApp, activity: Partial<Activity>): Promise<Partial<Activity>[]> {
  const adapter = new TestAdapter(async (turn) => {
    await bot.app.run(turn);
  });
  await adapter.processActivity(activity);
  // teams-ai sends "typing" for turns longer than a second; only real replies count here.
  return adapter.activeQueue.splice(0).filter((a) => a.type !== 'typing');
}

/** The Adaptive Card of a reply (the bot answers every command with exactly one). */
export function cardOf(reply: Partial<Activity> | undefined): Record<string, unknown> {
  const attachment = reply?.attachments?.[0] as Attachment | undefined;
  if (!attachment || attachment.contentType !== 'application/vnd.microsoft.card.adaptive') {
    throw new Error(`expected an Adaptive Card reply, got ${JSON.stringify(reply)?.slice(0, 300)}`);
  }
  return attachment.content as Record<string, unknown>;
}

/** What a Markdown renderer shows for text with backslash escapes (bot/cards/plain-text.ts escapes bound values). */
export function shownText(markdownText: string): string {
  return markdownText.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** All text shown on a card (escapes resolved as a client shows them), for assertions independent of layout. */
export function cardText(card: Record<string, unknown>): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'value') && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(card.body);
  walk(card.actions);
  return shownText(texts.join('\n'));
}
