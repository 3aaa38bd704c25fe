// What another member of a Playground conversation does, through the Playground's own API (its UI always acts
// as the configured current user): here, the second admin posting in the group chat. A "custom activity" is sent
// to the bot as given, built on the Playground's own template for that conversation (ids, serviceUrl, tenant).
// Internal API of @microsoft/m365agentsplayground 0.2.28 (pinned), see shared/reference/agents-playground.md §8.
import { randomUUID } from 'node:crypto';
import type { PlaygroundConfig, PlaygroundUser } from '../../../scripts/demo/playground-config.js';

export async function postAs(
  playgroundUrl: string,
  config: PlaygroundConfig,
  user: PlaygroundUser,
  conversationId: string,
  text: string,
): Promise<void> {
  const templateResponse = await fetch(
    `${playgroundUrl}/_internal/v1/customActivities/template?conversationId=${encodeURIComponent(conversationId)}`,
  );
  if (!templateResponse.ok) throw new Error(`no activity template: ${templateResponse.status}`);
  const template = (await templateResponse.json()) as Record<string, unknown>;
  const mention = `<at>${config.bot.name}</at>`;
  const activity = {
    ...template,
    type: 'message',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    text: `${mention} ${text}`,
    textFormat: 'plain',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: config.bot.id, name: config.bot.name },
    entities: [{ type: 'mention', text: mention, mentioned: { id: config.bot.id, name: config.bot.name } }],
  };
  const response = await fetch(`${playgroundUrl}/_internal/v1/customActivities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  if (!response.ok) throw new Error(`Playground refused the activity: ${response.status} ${await response.text()}`);
}
