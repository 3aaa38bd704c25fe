import { z } from 'zod';
import { ClaimsChallengeError, GraphRequestError } from '../../graph/errors.js';
import { isGuid, withQuery } from '../../graph/odata.js';
import { NotFoundError } from '../../errors.js';
import { graphOf, sessionOf } from '../_lib/context.js';
import { explainGraphError } from '../_lib/graph-hint.js';
import { pickByName } from '../_lib/pick-by-name.js';
import { describeMinutes, durationArg, isoDuration, utcText } from '../_lib/time-args.js';
import { defineCommand } from '../types.js';
import { ELIGIBILITY_INSTANCES, EXPAND_ROLE_NAME, pimReasonArg, roleNameOf, type ScheduleInstance } from './_pim.js';

const REQUESTS = '/roleManagement/directory/roleAssignmentScheduleRequests';
const DEFAULT_MINUTES = 60;

/**
 * The step-up the identity gate understands: a Graph-style claims request for the authentication context that
 * stands for "fresh MFA for admin writes" (`c1`, see the catalog). PIM refuses an activation without MFA
 * (`MfaRule`) or without the auth context its role settings name (`AcrsRule`); both are cured by signing in again
 * with that context, after which the gate replays the command once.
 */
export const PIM_STEP_UP_CLAIMS = JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } });

/** What each PIM rule asks of the admin, for the error card (Graph only names the rule). */
const RULE_HINTS: Record<string, string> = {
  JustificationRule: 'the role requires a reason (--reason).',
  TicketingRule:
    'the role requires a ticket: add --ticket <number> (and --ticket-system if it is not your service desk).',
  ExpirationRule: 'the role allows a shorter activation: try a smaller --for.',
  EligibilityRule: 'you are not eligible for this role (see "pim eligible").',
};

interface ScheduleRequest {
  id: string;
  status: string;
  approvalId?: string | null;
  scheduleInfo?: { startDateTime?: string };
}

/** The rule names in Graph's `The following policy rules failed: ["MfaRule", …]`. */
function failedRules(message: string): string[] {
  return [...message.matchAll(/"(\w+Rule)"/g)].map((m) => m[1]);
}

/** PIM's refusals: MFA/auth-context → step-up signal; other rules → Graph's error with what to change. */
function translatePimError(err: unknown, roleName: string): unknown {
  if (!(err instanceof GraphRequestError)) return err;
  if (err.graphCode === 'RoleAssignmentRequestAcrsValidationFailed')
    return new ClaimsChallengeError(PIM_STEP_UP_CLAIMS, err.requestId);
  if (err.graphCode === 'RoleAssignmentRequestPolicyValidationFailed') {
    const rules = failedRules(err.graphMessage);
    if (rules.includes('MfaRule')) return new ClaimsChallengeError(PIM_STEP_UP_CLAIMS, err.requestId);
    const hints = rules.map((r) => RULE_HINTS[r]).filter(Boolean);
    if (hints.length) return explainGraphError(err, `PIM did not activate ${roleName}: ${hints.join(' ')}`);
  }
  if (err.graphCode === 'RoleAssignmentExists')
    return explainGraphError(err, `${roleName} is already active for you (see "pim active").`);
  return err;
}

export default defineCommand({
  name: 'pim activate',
  summary: 'Activates one of your eligible directory roles through PIM for a while, with a reason (and a ticket).',
  usage: 'pim activate <role...> --reason <text> [--for 1h] [--ticket <number>] [--ticket-system <name>]',
  examples: ['pim activate "Teams Administrator" --for 2h --reason "Fix meeting policy" --ticket INC123'],
  args: {
    positional: ['role...'],
    schema: z
      .object({
        role: z.string().trim().min(2, 'name the role to activate'),
        for: durationArg({ min: 5, max: 24 * 60 }).optional(),
        reason: pimReasonArg,
        ticket: z.string().trim().min(1).max(100).optional(),
        ticketSystem: z.string().trim().min(1).max(100).optional(),
      })
      .strict(),
  },
  tier: 'write',
  scopes: ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleEligibilitySchedule.Read.Directory'],
  // A PIM-eligible admin comes here to activate their role: allowed without an active admin role.
  eligibleAdmins: true,
  async run(ctx, args) {
    const graph = graphOf(ctx);
    const session = sessionOf(ctx);
    // The admin's own eligibilities resolve the role name and prove eligibility in one round trip.
    const eligible =
      (
        await graph.get<{ value: ScheduleInstance[] }>(
          withQuery(`${ELIGIBILITY_INSTANCES}/filterByCurrentUser(on='principal')`, { $expand: EXPAND_ROLE_NAME }),
        )
      ).body.value ?? [];
    if (eligible.length === 0)
      throw new NotFoundError('PIM lists no role you are eligible for, so there is nothing to activate.');
    const chosen = isGuid(args.role)
      ? eligible.find((e) => e.roleDefinitionId.toLowerCase() === args.role.toLowerCase())
      : pickByName(eligible, args.role, { name: roleNameOf, noun: 'role you are eligible for' });
    if (!chosen)
      throw new NotFoundError(
        `You are not eligible for role ${args.role}. Your eligible roles: ${eligible.map(roleNameOf).join(', ')}.`,
      );
    const roleName = roleNameOf(chosen);
    const minutes = args.for ?? DEFAULT_MINUTES;
    const start = new Date();
    const body = {
      action: 'selfActivate',
      principalId: session.oid,
      roleDefinitionId: chosen.roleDefinitionId,
      directoryScopeId: chosen.directoryScopeId ?? '/',
      justification: args.reason,
      scheduleInfo: {
        startDateTime: start.toISOString(),
        expiration: { type: 'afterDuration', duration: isoDuration(minutes) },
      },
      ...(args.ticket
        ? { ticketInfo: { ticketNumber: args.ticket, ticketSystem: args.ticketSystem ?? 'Service desk' } }
        : {}),
    };
    let response;
    try {
      response = await graph.post<ScheduleRequest>(REQUESTS, body);
    } catch (err) {
      throw translatePimError(err, roleName);
    }
    const request = response.body;
    const active = request.status === 'Provisioned' || request.status === 'Granted';
    const pending = request.status === 'PendingApproval';
    const until = utcText(new Date(start.getTime() + minutes * 60_000).toISOString());
    const outcome = active
      ? `active until ${until}`
      : pending
        ? 'waiting for an approver'
        : `PIM status ${request.status}`;
    return {
      card: 'tenant-change',
      data: {
        title: active
          ? `${roleName} activated`
          : pending
            ? `${roleName}: approval requested`
            : `${roleName}: ${request.status}`,
        status: active ? 'Active' : pending ? 'Pending approval' : request.status,
        statusColor: active ? 'Good' : 'Warning',
        message: active
          ? `You hold ${roleName} until ${until}. New sign-ins and tokens carry it within a few minutes.`
          : pending
            ? `PIM sent your request to the role's approvers; ${roleName} becomes active once one of them approves.`
            : `PIM accepted the request with status ${request.status}.`,
        facts: [
          { title: 'Role', value: roleName },
          { title: 'For', value: describeMinutes(minutes) },
          { title: 'Reason', value: args.reason },
          ...(args.ticket ? [{ title: 'Ticket', value: args.ticket }] : []),
          ...(request.approvalId ? [{ title: 'Approval id', value: request.approvalId }] : []),
          { title: 'PIM request', value: request.id },
        ],
        requestId: response.requestId ?? '',
        actions: [{ title: 'My active roles', text: 'pim active' }],
      },
      text: `${roleName}: ${outcome} (request-id ${response.requestId ?? 'n/a'}).`,
    };
  },
});
