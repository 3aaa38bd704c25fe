import type { Logger } from '../log.js';
import type { ConversationAddress, Messenger } from './ports.js';
import type { Reply } from './types.js';

/**
 * Answers meant for one person of a group chat, said later than their card click could carry them (a parked
 * command resumed after sign-in, an approved request's result for its requester): a 1:1 message to them. When
 * Teams cannot open the 1:1 chat (the app is not installed for them) the answer is posted in the conversation
 * rather than lost; in a 1:1 chat it is simply posted there.
 */
export function privateReply(
  messenger: Messenger,
  address: ConversationAddress,
  teamsUserId: string | undefined,
  log: Logger,
): Reply {
  const inConversation = async (output: Parameters<Reply['send']>[0]) =>
    (await messenger.post(address, output)).messageId;
  if (address.kind === 'personal' || !teamsUserId || !messenger.postToUser) return { send: inConversation };
  const postToUser = messenger.postToUser.bind(messenger);
  return {
    async send(output) {
      try {
        return (await postToUser(address, teamsUserId, output)).messageId;
      } catch (err) {
        log.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'no 1:1 chat; answered in the conversation',
        );
        return inConversation(output);
      }
    },
  };
}
