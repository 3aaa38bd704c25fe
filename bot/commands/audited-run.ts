import type { AuditLog } from '../audit/log.js';
import { redactArgs } from '../audit/redact.js';
import { ErrorCode, isCodedError } from '../errors.js';
import type { Logger } from '../log.js';
import { requestIdsOf } from './_lib/context.js';
import { admitted, AdmissionDenied } from './admission.js';
import type { AdminSession, AnyCommand, CommandContext, CommandOutput, CommandRequest } from './types.js';

/**
 * Audit around one command: a start record before it runs (if that write fails, it does not run), an end record
 * after it with the outcome and every Graph request-id, or a single record when the gate held or refused it.
 * Arguments are stored redacted; MFA evidence is what the admin's token showed.
 */
export function auditedRun(
  audit: AuditLog | undefined,
  request: CommandRequest,
  command: AnyCommand,
  args: unknown,
  session?: AdminSession,
) {
  const base = {
    actorAadId: session?.oid ?? request.actor.aadObjectId ?? request.actor.teamsUserId,
    actorUpn: session?.upn.toLowerCase(),
    conversationId: request.conversation.id,
    command: command.name,
    args: redactArgs(args),
    tier: command.tier,
    mfa: session?.mfa,
  };
  return {
    async record(action: string, outcome: string): Promise<void> {
      await audit?.append({ ...base, action, outcome });
    },
    async run(ctx: CommandContext, work: () => Promise<CommandOutput>, log: Logger): Promise<CommandOutput> {
      const writeStart = () => audit?.append({ ...base, action: 'command.start', outcome: 'started' });
      const admission = ctx.session?.admission;
      let start: Awaited<ReturnType<typeof writeStart>>;
      // Role re-check still in flight (a read): the start record is written once it allows the command, before any
      // Graph answer reaches it; a refused read has no start record, only the refusal, as when the gate waited.
      if (admission)
        admission.before(async () => {
          start = await writeStart();
        });
      else start = await writeStart();
      let outcome = 'succeeded';
      try {
        return await admitted(admission, work);
      } catch (err) {
        if (err instanceof AdmissionDenied) {
          const { kind, reason } = err.decision;
          await audit?.append({
            ...base,
            actorUpn: undefined,
            mfa: undefined,
            action: kind === 'hold' ? 'command.held' : 'command.refused',
            outcome: reason,
          });
        }
        outcome = `failed:${isCodedError(err) ? err.code : ErrorCode.Internal}`;
        throw err;
      } finally {
        const started = start;
        if (audit && started) {
          // The action already happened: a failure to record its end must not hide its result from the admin.
          await audit
            .append({
              ...base,
              action: 'command.end',
              outcome,
              completes: started.id,
              graphRequestIds: requestIdsOf(ctx),
            })
            .catch((err: unknown) =>
              log.error({ err: String(err), auditStart: started.id }, 'audit end record failed'),
            );
        }
      }
    },
  };
}
