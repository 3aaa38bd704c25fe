import {
  TeamsInfo,
  TurnContext,
  type CloudAdapterBase,
  type ConversationParameters,
  type ConversationReference,
} from 'botbuilder';
import type { ConversationAddress, Messenger, PostedMessage } from '../commands/ports.js';
import type { ConversationKind } from '../commands/types.js';
import { outputActivity, sendOutput } from './send.js';

/** The address of the conversation a turn happens in, for features that write to it later. */
export function addressOfTurn(turn: TurnContext): ConversationAddress {
  return addressOfReference(TurnContext.getConversationReference(turn.activity));
}

export function addressOfReference(reference: Partial<ConversationReference>): ConversationAddress {
  const type = reference.conversation?.conversationType;
  const kind: ConversationKind = type === 'groupChat' || type === 'channel' ? type : 'personal';
  return {
    conversationId: reference.conversation?.id ?? '',
    kind,
    tenantId: reference.conversation?.tenantId,
    channelRef: JSON.stringify(reference),
  };
}

export function referenceOfAddress(address: ConversationAddress): Partial<ConversationReference> {
  return JSON.parse(address.channelRef) as Partial<ConversationReference>;
}

/** Proactive posts and in-place updates through the Bot Framework adapter (continueConversation). */
export function createMessenger(adapter: CloudAdapterBase, botAppId: string): Messenger {
  const within = (address: ConversationAddress, logic: (turn: TurnContext) => Promise<void>) =>
    adapter.continueConversationAsync(botAppId, referenceOfAddress(address), logic);
  return {
    async post(address, output): Promise<PostedMessage> {
      let messageId = '';
      await within(address, async (turn) => {
        messageId = (await sendOutput(turn, output)) ?? '';
      });
      return { address, messageId };
    },
    async update(message, output): Promise<void> {
      await within(message.address, async (turn) => {
        await turn.updateActivity({ ...outputActivity(output), id: message.messageId });
      });
    },
    async postToUser(address, teamsUserId, output): Promise<PostedMessage> {
      const reference = referenceOfAddress(address);
      const tenantId = address.tenantId ?? reference.conversation?.tenantId;
      let posted: PostedMessage | undefined;
      // Teams opens (or finds) the bot's 1:1 chat with this member of the tenant; the reply goes there.
      await adapter.createConversationAsync(
        botAppId,
        reference.channelId ?? 'msteams',
        reference.serviceUrl ?? '',
        undefined as unknown as string,
        {
          isGroup: false,
          bot: reference.bot ?? { id: botAppId, name: '' },
          members: [{ id: teamsUserId, name: '' }],
          tenantId,
          channelData: { tenant: { id: tenantId } },
        } as ConversationParameters,
        async (turn) => {
          const personal = addressOfTurn(turn);
          posted = { address: personal, messageId: (await sendOutput(turn, output)) ?? '' };
        },
      );
      if (!posted) throw new Error('Teams opened no 1:1 chat');
      return posted;
    },
    async members(address, max): Promise<string[]> {
      const ids: string[] = [];
      await within(address, async (turn) => {
        const page = await TeamsInfo.getPagedMembers(turn, max);
        ids.push(...page.members.map((member) => member.id));
      });
      return ids;
    },
  };
}
