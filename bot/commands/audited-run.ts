import type { AuditLog } from '../audit/log.js';
import { redactArgs } from '../audit/redact.js';
import { ErrorCode, isCodedError } from '../errors.js';
import { requestIdsOf } from './_lib/context.js';
import { admitted, AdmissionDenied } from './admission.js';
import type { AdminSession, AnyCommand, AuditNames, CommandContext } from './types.js';

const COMMAND: AuditNames = { prefix: 'command' };

/**
 * Audit around one command: a start record before it runs (if that write fails, it does not run), an end record
 * after it with the outcome and every Graph request-id, or a single record when the gate held or refused it.
 * Arguments are stored redacted; MFA evidence is what the admin's token showed. Without an audit log (unit
 * harnesses, or a caller that audits the run itself) it only runs the work.
 */
export function auditTrail(
  audit: AuditLog | undefined,
  ctx: CommandContext,
  command: AnyCommand,
  args: unknown,
  session: AdminSession | undefined,
  names: AuditNames = COMMAND,
) {
  const { request } = ctx;
  const base = {
    actorAadId: session?.oid ?? request.actor.aadObjectId ?? request.actor.teamsUserId,
    actorUpn: session?.upn.toLowerCase(),
    conversationId: request.conversation.id,
    command: command.name,
    args: redactArgs(args),
    tier: command.tier,
    mfa: session?.mfa,
    approvalId: names.approvalId,
  };
  return {
    async record(kind: 'held' | 'refused', outcome: string): Promise<void> {
      await audit?.append({ ...base, action: `${names.prefix}.${kind}`, outcome });
    },
    /**
     * Runs `work` between a start and an end record; `held` work (a claims challenge) ends as `held`. A read whose
     * role re-check is still in flight (`session.admission`) gets its start record once the check allows it, before
     * any Graph answer reaches it; a refused one has no start record, only the refusal, as when the gate waited.
     */
    async around<T extends { held?: boolean }>(runContext: CommandContext, work: () => Promise<T>): Promise<T> {
      const writeStart = () => audit?.append({ ...base, action: `${names.prefix}.start`, outcome: 'started' });
      const admission = session?.admission;
      let start: Awaited<ReturnType<typeof writeStart>>;
      if (admission) {
        admission.before(async () => {
          start = await writeStart();
        });
      } else start = await writeStart();
      let outcome = 'succeeded';
      try {
        const result = await admitted(admission, work);
        if (result.held) outcome = 'held:claims-challenge';
        return result;
      } catch (err) {
        if (err instanceof AdmissionDenied) {
          const { kind, reason } = err.decision;
          // Refused by the re-check: recorded as the gate would have, without the evidence of a session it denied.
          await audit?.append({
            ...base,
            actorUpn: undefined,
            mfa: undefined,
            action: `${names.prefix}.${kind === 'hold' ? 'held' : 'refused'}`,
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
              action: `${names.prefix}.end`,
              outcome,
              completes: started.id,
              graphRequestIds: requestIdsOf(runContext),
            })
            .catch((err: unknown) =>
              runContext.log.error({ err: String(err), auditStart: started.id }, 'audit end record failed'),
            );
        }
      }
    },
  };
}

export type AuditTrail = ReturnType<typeof auditTrail>;
