import { CodedError, ErrorCode } from '../../errors.js';
import type { GraphApi } from '../../graph/client.js';
import type { AdminSession, CommandContext } from '../types.js';

/** Per-command Graph clients, so every request-id of one command can be read back for its audit record. */
const clients = new WeakMap<CommandContext, GraphApi>();

/** The signed-in admin; the gate guarantees one for commands that require sign-in. */
export function sessionOf(ctx: CommandContext): AdminSession {
  if (!ctx.session) throw new CodedError(ErrorCode.NotSignedIn, 'This command needs you to be signed in.');
  return ctx.session;
}

/** Graph as the signed-in admin, one client per command run. */
export function graphOf(ctx: CommandContext): GraphApi {
  let client = clients.get(ctx);
  if (!client) {
    if (!ctx.services.graphFor) throw new CodedError(ErrorCode.Internal, 'Graph access is not configured on this bot.');
    client = ctx.services.graphFor(sessionOf(ctx));
    clients.set(ctx, client);
  }
  return client;
}

/** Graph request-ids of everything this command sent (for its audit record). */
export function requestIdsOf(ctx: CommandContext): string[] {
  return clients.get(ctx)?.requestIds ?? [];
}
