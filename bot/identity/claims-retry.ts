import type { AnyCommand } from '../commands/types.js';
import { sendOutput } from '../commands/send.js';
import { ClaimsChallengeError } from '../graph/errors.js';
import { requirementFor } from './policy.js';
import { holdForStepUp } from './prompts.js';
import { RESUMED_OPERATION, type ResumedOperation } from './resume.js';
import type { IdentityService } from './service.js';

/**
 * The command stopped at a Graph claims challenge and a step-up card was sent: reported (and audited) as a
 * step-up, not as a success and not as an internal failure.
 */
export class StepUpStartedError extends ClaimsChallengeError {
  readonly title = 'Nothing changed yet';
  constructor(commandName: string, challenge: ClaimsChallengeError) {
    super(challenge.claims, challenge.requestId);
    this.message = `Microsoft Graph asks for a stronger sign-in before "${commandName}" can continue. Verify with MFA using the card above; the command then runs again by itself.`;
  }
}

/**
 * Gives a signed-in command Graph-claims-challenge handling: when Graph answers 401 `insufficient_claims` (an
 * operation protected by an authentication context, or a revoked session), the command is parked and the user
 * gets the step-up card with the challenge's claims; after the MFA it runs again, once. A second challenge on
 * that retry is reported as an error instead of looping.
 */
export function withClaimsChallengeStepUp(command: AnyCommand, identity: IdentityService): AnyCommand {
  if (command.public) return command;
  return {
    ...command,
    async run(ctx, args) {
      try {
        return await command.run(ctx, args);
      } catch (err) {
        if (!(err instanceof ClaimsChallengeError) || err instanceof StepUpStartedError) throw err;
        const resumed = ctx.turn.turnState.get(RESUMED_OPERATION) as ResumedOperation | undefined;
        if (resumed?.claimsRetry) throw err;
        ctx.log.info(
          { correlationId: ctx.correlationId, command: command.name, requestId: err.requestId },
          'Graph claims challenge: step-up',
        );
        const requirement = requirementFor(identity.policy, command.tier, command.mfaMaxAgeSeconds);
        const card = await holdForStepUp(identity, command, ctx, {
          upn: ctx.session?.upn,
          maxAgeSeconds: requirement.mfaMaxAgeSeconds ?? identity.policy.write.mfaMaxAgeSeconds!,
          claims: err.claims,
          claimsRetry: true,
          reason: `Microsoft Graph asks for a stronger sign-in before "${command.name}" can continue (nothing was changed yet).`,
        });
        await sendOutput(ctx.turn, card);
        throw new StepUpStartedError(command.name, err);
      }
    },
  };
}
