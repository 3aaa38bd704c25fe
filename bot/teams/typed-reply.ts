import type { TurnContext } from 'botbuilder';
import { privateReply } from '../commands/private-reply.js';
import type { Messenger } from '../commands/ports.js';
import type { Reply } from '../commands/types.js';
import type { Logger } from '../log.js';
import { addressOfTurn } from './messenger.js';
import { sendOutput } from './send.js';

/**
 * The answer to a typed command. In a group chat or channel a sign-in or MFA link for the person who typed is sent
 * to them in a 1:1 chat (in the conversation only when Teams cannot open one): a live link is never shown to the
 * whole group. Everything else is answered in the conversation, as typed commands always are.
 */
export function typedReply(turn: TurnContext, messenger: Messenger | undefined, log: Logger): Reply {
  const inTurn: Reply = { send: (output) => sendOutput(turn, output) };
  const type = turn.activity.conversation?.conversationType;
  const userId = turn.activity.from?.id;
  if ((type !== 'groupChat' && type !== 'channel') || !messenger || !userId) return inTurn;
  const toUser = privateReply(messenger, addressOfTurn(turn), userId, log);
  return {
    send: (output, outcome) =>
      output.audience === 'actor' && output.card === 'sign-in' ? toUser.send(output, outcome) : inTurn.send(output),
  };
}
