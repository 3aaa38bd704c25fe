// What another member of a Playground conversation does, through the Playground's own API (its UI always acts
// as the configured current user): here, the second admin clicking Approve on the group chat's approval card.
// Internal API of @microsoft/m365agentsplayground 0.2.28 (pinned), see shared/reference/agents-playground.md §8.
import type { PlaygroundUser } from '../../../scripts/demo/playground-config.js';

/**
 * A card button clicked by another member (`Action.Execute`), through the Playground's own invoke API: the HTTP
 * answer is the bot's invoke response, i.e. what Teams would show that member alone (reference §8).
 */
export async function clickAs(
  playgroundUrl: string,
  user: PlaygroundUser,
  conversationId: string,
  cardMessageId: string,
  data: Record<string, unknown>,
): Promise<{ type?: string; value?: unknown }> {
  const response = await fetch(`${playgroundUrl}/_conversation/v1/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'adaptiveCard/action',
      from: { id: user.id },
      conversation: { id: conversationId },
      replyToId: cardMessageId,
      value: { action: { type: 'Action.Execute', verb: 'run', data } },
    }),
  });
  if (!response.ok) throw new Error(`Playground refused the invoke: ${response.status} ${await response.text()}`);
  return (await response.json()) as { type?: string; value?: unknown };
}
