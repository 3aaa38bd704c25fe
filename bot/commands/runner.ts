import { randomUUID } from 'node:crypto';
import { markdown } from '../cards/plain-text.js';
import { ErrorCode, UnknownCommandError, isCodedError } from '../errors.js';
import { ClaimsChallengeError } from '../graph/errors.js';
import type { Logger } from '../log.js';
import { requestIdsOf } from './_lib/context.js';
import { requestApproval, takeApprovalOptions } from './approval-request.js';
import { AdmissionDenied } from './admission.js';
import { auditTrail } from './audited-run.js';
import { bindArgs } from './bind-args.js';
import { errorOutput } from './error-output.js';
import { notice } from './notice.js';
import type { CommandRegistry } from './registry.js';
import { tokenize } from './tokenize.js';
import { understand } from './understand.js';
import type {
  AnyCommand,
  CommandContext,
  CommandGate,
  CommandOutput,
  CommandServices,
  CommandResult,
  FollowUpRun,
  Reply,
  RunOrigin,
  RunOutcome,
  RunRequest,
  StepUpPort,
} from './types.js';

export type { Reply, RunOrigin, RunOutcome, RunRequest } from './types.js';

/** Outcome text kept in approval/schedule rows and cards: one length for every caller. */
export const OUTCOME_MAX = 300;

const PEOPLE: ReadonlySet<RunOrigin> = new Set(['chat', 'card', 'resumed']);

export interface RunnerDeps {
  registry: CommandRegistry;
  gate: CommandGate;
  services: CommandServices;
  log: Logger;
  /** Claims challenges become a hold (absent without identity: reported as errors). */
  stepUp?: StepUpPort;
}

/**
 * The only place a command executes. Chat messages, card buttons, resumed commands, approved requests and
 * scheduled runs all come here: parse → rate limit → gate (allow | hold | refuse | approval) → audit start → run
 * → a Graph claims challenge becomes a hold (one step-up card, resumed once) → audit end → card. Every failure on
 * the way becomes a card; nothing here throws except a failure to send.
 */
export class CommandRunner {
  constructor(private readonly deps: RunnerDeps) {}

  get registry(): CommandRegistry {
    return this.deps.registry;
  }

  async run(request: RunRequest, reply: Reply): Promise<RunOutcome> {
    const services = request.services ?? this.deps.services;
    const ctx: CommandContext = {
      request: { text: request.text, actor: request.actor, conversation: request.conversation },
      actor: request.actor,
      conversation: request.conversation,
      correlationId: request.correlationId,
      log: this.deps.log,
      services,
      address: request.address,
      origin: request.origin,
    };
    const finish = async (output: CommandOutput, outcome: Omit<RunOutcome, 'detail' | 'requestIds'>, run = ctx) => {
      await reply.send(output, outcome.outcome);
      return { ...outcome, detail: output.text.slice(0, OUTCOME_MAX), requestIds: requestIdsOf(run) };
    };
    if (!request.text) return finish(emptyMessageOutput(), { outcome: 'empty' });
    let command: AnyCommand | undefined;
    // The context the command ran with (its Graph client holds the request-ids), once it runs.
    let ran = ctx;
    try {
      const words = tokenize(request.text);
      const match = this.deps.registry.match(words);
      // Before anything that costs (gate: Graph role check, audit, sign-in state): over the limit, nothing runs.
      // Only people's requests count; a resumed one was counted when it was asked.
      if ((request.origin === 'chat' || request.origin === 'card') && !request.understood) {
        // A card's button clicked again is the same request: its change is counted once (issue 17).
        const sameRequest = request.origin === 'card' ? request.text : undefined;
        const limited = await services.limits?.command(
          request.actor,
          request.conversation,
          match?.command.tier,
          sameRequest,
        );
        if (limited) {
          return finish(limited, {
            command: match?.command.name,
            tier: match?.command.tier,
            outcome: 'refused',
            errorCode: 'rate_limited',
          });
        }
      }
      if (!match) return await this.runFreeText(request, words, services, reply);
      command = match.command;
      const rest = words.slice(match.consumed);
      const { words: argWords, approval } =
        command.tier === 'dangerous' ? takeApprovalOptions(rest) : { words: rest, approval: {} };
      const args = request.args ?? bindArgs(command, argWords);
      const named = { command: command.name, tier: command.tier };
      if (command.personalOnly && ctx.conversation.kind !== 'personal') {
        return finish(personalOnlyOutput(command), { ...named, outcome: 'refused' });
      }
      const decision = await (request.authorize ?? ((c, x) => this.deps.gate.check(c, x)))(command, ctx);
      const session = decision.kind === 'allow' || decision.kind === 'approval' ? decision.session : undefined;
      const names = request.audit === 'caller' ? undefined : request.audit;
      const audit = auditTrail(
        request.audit === 'caller' ? undefined : services.audit,
        ctx,
        command,
        args,
        session,
        names,
      );
      if (decision.kind === 'approval') {
        const result = await requestApproval({ ...ctx, session: decision.session }, command, args, approval, audit);
        const messageId = await reply.send(result.output);
        if (result.approvalId) await services.approvals?.attachActivity(result.approvalId, messageId);
        return { ...named, outcome: result.outcome, detail: result.output.text.slice(0, OUTCOME_MAX), requestIds: [] };
      }
      if (decision.kind !== 'allow') {
        await audit.record(decision.kind === 'hold' ? 'held' : 'refused', decision.reason ?? decision.kind);
        return finish(decision.reply, { ...named, outcome: decision.kind === 'hold' ? 'held' : 'refused' });
      }
      const runContext: CommandContext = { ...ctx, session: decision.session };
      ran = runContext;
      const output = await audit.around(runContext, async () => {
        try {
          return { output: await command!.run(runContext, args) };
        } catch (err) {
          const held = await this.holdOnClaimsChallenge(err, request, command!, runContext);
          if (held) return { output: held as CommandResult, held: true };
          throw err;
        }
      });
      const { followUp, ...answer } = output.output;
      const outcome = await finish(answer, { ...named, outcome: output.held ? 'held' : 'ok' }, runContext);
      if (followUp) this.runSoon(followUp, services);
      return outcome;
    } catch (err) {
      if (err instanceof AdmissionDenied) {
        // A read's role re-check, run alongside it, said no: its answers are discarded, the gate's reply is sent.
        const held = err.decision.kind === 'hold';
        return finish(
          err.decision.reply,
          { command: command?.name, tier: command?.tier, outcome: held ? 'held' : 'refused' },
          ran,
        );
      }
      const output = errorOutput(err, {
        correlationId: request.correlationId,
        registry: this.registry,
        command,
        requestText: request.text,
      });
      const code = isCodedError(err) ? err.code : ErrorCode.Internal;
      if (code === ErrorCode.Internal) {
        this.deps.log.error({ err: describeInternal(err), correlationId: request.correlationId }, 'command failed');
      }
      return finish(
        output,
        {
          command: command?.name,
          tier: command?.tier,
          outcome: outcomeOfError(code),
          errorCode: code,
          failure: failureDetail(err),
        },
        ran,
      );
    }
  }

  /**
   * Text that names no command: a clearly meant read runs as that command, as if typed (same gate, tiers and audit),
   * under an "Understood as …" line; anything else — always a write or dangerous command — gets a "Did you mean…"
   * card whose buttons carry the exact commands. Nothing close: the unknown-command error.
   */
  private async runFreeText(
    request: RunRequest,
    words: string[],
    services: CommandServices,
    reply: Reply,
  ): Promise<RunOutcome> {
    if (request.understood) throw new UnknownCommandError(words.slice(0, 3).join(' '), []);
    const understood = await understand(request.text, words, this.registry, services.phraseModel);
    if ('offered' in understood) {
      await reply.send(understood.offered, 'unknown');
      return { outcome: 'unknown', detail: understood.offered.text.slice(0, OUTCOME_MAX), requestIds: [] };
    }
    let first = true;
    const announced: Reply = {
      send: (output, outcome) => {
        const header = first ? `Understood as "${understood.run}"` : output.header;
        first = false;
        return reply.send({ ...output, header }, outcome);
      },
    };
    return this.run({ ...request, text: understood.run, understood: true }, announced);
  }

  /**
   * Released work (an approved request) runs after the click is answered (Teams allows an invoke a few seconds),
   * through the same path; its card is posted where it was asked.
   */
  private runSoon(followUp: FollowUpRun, services: CommandServices): void {
    const correlationId = randomUUID();
    setImmediate(() => {
      const reply: Reply = followUp.reply ?? {
        send: async (output) => (await services.messenger?.post(followUp.request.address, output))?.messageId,
      };
      this.run({ ...followUp.request, correlationId }, reply)
        .then((outcome) => followUp.done(outcome))
        .catch((err: unknown) =>
          this.deps.log.error({ correlationId, err: describeInternal(err) }, 'released work failed'),
        );
    });
  }

  /**
   * Graph answered 401 `insufficient_claims` (an operation behind an authentication context, or a revoked session):
   * someone present gets one step-up card and the command is parked; after the MFA it runs again, once. A second
   * challenge on that retry, or a run nobody is present for, is reported as an error instead.
   */
  private async holdOnClaimsChallenge(
    err: unknown,
    request: RunRequest,
    command: AnyCommand,
    ctx: CommandContext,
  ): Promise<CommandOutput | undefined> {
    if (!(err instanceof ClaimsChallengeError) || !this.deps.stepUp) return undefined;
    if (request.claimsRetry || !PEOPLE.has(request.origin)) return undefined;
    this.deps.log.info(
      { correlationId: request.correlationId, command: command.name, requestId: err.requestId },
      'Graph claims challenge: step-up',
    );
    return this.deps.stepUp.holdForClaims(command, ctx, err.claims);
  }
}

/** One line naming a failure for records: Graph's code and request-id when Graph refused, else the error's code. */
export function failureDetail(err: unknown): string {
  if (!isCodedError(err)) return `${ErrorCode.Internal}: the command failed unexpectedly`;
  return err.graphCode
    ? `Graph ${err.graphCode} (request-id ${err.requestId ?? 'n/a'})`
    : `${err.code}: ${err.message.slice(0, 160)}`;
}

function outcomeOfError(code: string): RunOutcome['outcome'] {
  if (code === ErrorCode.Usage || code === ErrorCode.MessageTooLong) return 'usage';
  if (code === ErrorCode.UnknownCommand) return 'unknown';
  return 'error';
}

/** Internal errors are logged with their name and stack for the operator, never shown in chat. */
function describeInternal(err: unknown): Record<string, unknown> {
  return err instanceof Error ? { type: err.name, message: err.message, stack: err.stack } : { value: String(err) };
}

function emptyMessageOutput(): CommandOutput {
  return notice(
    'Nothing to do',
    markdown`
Type a command, for example **help** or **whoami**.
    `,
    {
      actions: [{ title: 'help', command: 'help' }],
      text: 'Type a command, for example "help".',
    },
  );
}

function personalOnlyOutput(command: AnyCommand): CommandOutput {
  return notice(
    'Only in a 1:1 chat',
    `"${command.name}" answers with a secret, which must not be posted where others can read it. Nothing was ` +
      `done. Send the command to the bot in a personal chat.`,
    { text: `"${command.name}" only runs in a 1:1 chat with the bot; nothing was done.` },
  );
}
