import { AdmissionDenied, admissionAfter } from '../commands/admission.js';
import type { CommandGate, GateDecision } from '../commands/types.js';
import type { AdminSession, AnyCommand, CommandContext } from '../commands/types.js';
import { ClaimsChallengeError, GraphRequestError } from '../graph/errors.js';
import { AccountDisabledError } from './account-disabled.js';
import { accountDisabledRefusal, disabledOnRefresh } from './account-disabled-refusal.js';
import { evaluatePolicy, requirementFor } from './policy.js';
import { holdForSignIn, holdForStepUp, notice } from './prompts.js';
import { eligibleRoleTemplateIds, roleName } from './roles.js';
import { mayCheckRolesAlongside, RecentAdmins } from './pending-roles.js';
import type { CachedSignIn, IdentityService } from './service.js';

/**
 * The real gate. For a command that needs sign-in: the Teams user must have an Entra identity in the
 * conversation's tenant → a cached sign-in (else: sign-in card, command parked) → an admin role held now, asked of
 * Graph every time (else: refused) → the narrower roles the command demands → MFA as fresh as its tier requires
 * (else: step-up card, command parked) → `dangerous` is handed to the approvals feature (two-person rule).
 * Public commands (help, whoami, signout) always run; they get the session when there is one.
 */
export class IdentityGate implements CommandGate {
  /** Who held an admin role at their last check (a hint for speculation only; every command is still checked). */
  private readonly recentAdmins = new RecentAdmins();

  constructor(private readonly identity: IdentityService) {}

  async check(command: AnyCommand, ctx: CommandContext): Promise<GateDecision> {
    if (command.public) return { kind: 'allow', session: await this.optionalSession(ctx) };
    const { actor, conversation } = ctx;
    if (!actor.aadObjectId || !conversation.tenantId) {
      return {
        kind: 'refuse',
        reason: 'no-entra-identity',
        reply: notice(
          'No Microsoft Entra identity',
          `Your Teams client did not say who you are in Microsoft Entra ID (no user object id or tenant), so ` +
            `"${command.name}" cannot run as you. Use Microsoft Teams with your work account.`,
        ),
      };
    }
    const home = this.identity.settings.homeTenantId;
    if (home && conversation.tenantId.toLowerCase() !== home) {
      // Another organisation's Teams user (a cross-tenant chat or a forged activity): no sign-in card, no state row.
      return {
        kind: 'refuse',
        reason: 'other-tenant',
        reply: notice(
          'Another organization',
          `This bot administers one Microsoft Entra tenant, and this conversation belongs to another one. ` +
            `"${command.name}" was not run.`,
        ),
      };
    }
    const signIn = await this.identity.cachedSignIn(actor.aadObjectId, conversation.tenantId).catch((err: unknown) => {
      if (err instanceof AccountDisabledError) return err;
      throw err;
    });
    if (signIn instanceof AccountDisabledError) return accountDisabledRefusal(command, signIn.upn);
    if (!signIn) {
      const needs = requirementFor(this.identity.policy, command.tier, command.mfaMaxAgeSeconds);
      const mfaMaxAge = needs.mfa ? (needs.mfaMaxAgeSeconds ?? 0) : undefined;
      const reply = await holdForSignIn(this.identity, command, ctx, undefined, mfaMaxAge);
      return { kind: 'hold', reason: 'sign-in-required', reply };
    }
    if (isGuest(signIn.facts)) {
      // A B2B guest's credentials, MFA and lifecycle are governed by their home organisation: never a tenant
      // admin here,
      // whatever role they were given.
      return {
        kind: 'refuse',
        reason: 'guest',
        reply: notice(
          'Guests cannot run admin commands',
          `Sorry, ${signIn.facts.upn}: you are a guest in this organization, and this bot runs tenant commands ` +
            `only for its own administrators. "help", "whoami" and "signout" work for everyone.`,
        ),
      };
    }

    const policyVerdict = () =>
      evaluatePolicy(
        this.identity.policy,
        command.tier,
        signIn.facts,
        this.identity.settings.stepUpAuthContext,
        undefined,
        command.mfaMaxAgeSeconds,
      );
    // A Graph read by someone who was an admin at their last check: the re-check runs alongside the command's first
    // request, whose answer waits for it (issue 14: one round trip less for every read).
    if (mayCheckRolesAlongside(command) && this.recentAdmins.has(signIn.facts.oid) && policyVerdict().kind === 'ok')
      return { kind: 'allow', session: this.allowPendingRoles(command, ctx, signIn) };

    const checked = await this.checkRoles(command, ctx, signIn);
    if ('denied' in checked) return checked.denied;
    const roles = checked.roles;

    const verdict = policyVerdict();
    if (verdict.kind === 'step-up') {
      const reason =
        verdict.reason === 'no-mfa'
          ? `"${command.name}" ${command.tier === 'read' ? 'needs multi-factor authentication' : 'changes your tenant'}, ` +
            `and your current sign-in has no MFA.`
          : `"${command.name}" needs an MFA from the last ${Math.round(verdict.maxAgeSeconds / 60)} minute(s), and ` +
            `yours is older.`;
      return {
        kind: 'hold',
        reason: 'step-up-required',
        reply: await holdForStepUp(this.identity, command, ctx, {
          upn: signIn.facts.upn,
          maxAgeSeconds: verdict.maxAgeSeconds,
          reason,
        }),
      };
    }
    // A dangerous command's requester is now fully checked; the approvals feature takes it from here.
    if (verdict.kind === 'needs-approval') return { kind: 'approval', session: this.identity.session(signIn, roles) };
    return { kind: 'allow', session: this.identity.session(signIn, roles) };
  }

  /**
   * The session of a read whose role re-check is still in flight: its Graph answers, its audit start and its output
   * wait for the verdict; a refusal or hold replaces them with exactly what the gate would have answered.
   */
  private allowPendingRoles(command: AnyCommand, ctx: CommandContext, signIn: CachedSignIn): AdminSession {
    const roles: string[] = [];
    const verdict = this.checkRoles(command, ctx, signIn).then((checked) => {
      if ('denied' in checked) throw new AdmissionDenied({ ...checked.denied, reason: checked.denied.reason! });
      roles.push(...checked.roles);
    });
    return this.identity.session(signIn, roles, admissionAfter(verdict));
  }

  /** The admin roles held now, asked of Graph; or the gate's answer when they do not allow the command. */
  private async checkRoles(
    command: AnyCommand,
    ctx: CommandContext,
    signIn: CachedSignIn,
  ): Promise<{ roles: string[] } | { denied: Extract<GateDecision, { kind: 'hold' | 'refuse' }> }> {
    const { actor, conversation } = ctx;
    let roles: string[];
    try {
      roles = await this.identity.roles(signIn);
    } catch (err) {
      this.recentAdmins.forget(signIn.facts.oid);
      if (err instanceof ClaimsChallengeError || (err instanceof GraphRequestError && err.status === 401)) {
        if (await disabledOnRefresh(signIn)) return { denied: accountDisabledRefusal(command, signIn.facts.upn) };
        await this.identity.signOut(actor.aadObjectId!, conversation.tenantId!);
        return {
          denied: {
            kind: 'hold',
            reason: 'sign-in-revoked',
            reply: await holdForSignIn(
              this.identity,
              command,
              ctx,
              'Your sign-in is no longer accepted by Microsoft Graph.',
            ),
          },
        };
      }
      throw err;
    }
    const refusal = (await this.eligibleAdminMayRun(command, roles, signIn))
      ? undefined
      : this.roleRefusal(command, roles, signIn);
    if (refusal) {
      this.recentAdmins.forget(signIn.facts.oid);
      ctx.log.info(
        { correlationId: ctx.correlationId, command: command.name, reason: refusal.reason },
        'command refused',
      );
      return { denied: { kind: 'refuse', reason: refusal.reason, reply: refusal.reply } };
    }
    if (roles.some((r) => this.identity.settings.adminRoleTemplateIds.includes(r)))
      this.recentAdmins.remember(signIn.facts.oid);
    return { roles };
  }

  /**
   * Just-in-time admins: someone whose admin role is only PIM-eligible may run the commands that exist to see and
   * activate it (`eligibleAdmins` on the descriptor) — still with the tier's MFA — and nothing else.
   */
  private async eligibleAdminMayRun(
    command: AnyCommand,
    activeRoles: string[],
    signIn: CachedSignIn,
  ): Promise<boolean> {
    const admin = this.identity.settings.adminRoleTemplateIds;
    if (!command.eligibleAdmins || activeRoles.some((r) => admin.includes(r))) return false;
    const eligible = await eligibleRoleTemplateIds(this.identity.graphAs(signIn));
    return eligible.some((r) => admin.includes(r));
  }

  private roleRefusal(command: AnyCommand, roles: string[], signIn: CachedSignIn) {
    const admin = this.identity.settings.adminRoleTemplateIds;
    const held = roles.filter((r) => admin.includes(r));
    if (held.length === 0) {
      return {
        reason: 'not-admin',
        reply: notice(
          'Admin role needed',
          `Sorry, ${signIn.facts.upn}: this bot runs tenant commands only for administrators ` +
            `(${admin.map(roleName).join(', ')}), and you hold none of these roles right now. "help", "whoami" and ` +
            `"signout" work for everyone.`,
        ),
      };
    }
    const narrower = command.roles?.map((r) => r.toLowerCase());
    if (narrower && !narrower.some((r) => roles.includes(r))) {
      return {
        reason: 'role-not-sufficient',
        reply: notice(
          'Another admin role needed',
          `Sorry, "${command.name}" needs one of these roles: ${narrower.map(roleName).join(', ')}. You hold ` +
            `${held.map(roleName).join(', ')}.`,
        ),
      };
    }
    return undefined;
  }

  /** Public commands see who is signed in, when someone is; failures here never block them. */
  private async optionalSession(ctx: CommandContext): Promise<AdminSession | undefined> {
    const { actor, conversation } = ctx;
    if (!actor.aadObjectId || !conversation.tenantId) return undefined;
    try {
      const signIn = await this.identity.cachedSignIn(actor.aadObjectId, conversation.tenantId);
      if (!signIn) return undefined;
      const roles = await this.identity.roles(signIn).catch(() => [] as string[]);
      return this.identity.session(signIn, roles);
    } catch {
      return undefined;
    }
  }
}

/**
 * A B2B guest: Entra puts an `idp` claim (their home identity provider) in guests' tokens, and their UPN in this
 * tenant carries `#EXT#` (it is often not in the token: then `preferred_username` is their home address).
 */
export function isGuest(facts: { upn: string; idp?: string; tid: string }): boolean {
  if (facts.upn.toUpperCase().includes('#EXT#')) return true;
  return facts.idp !== undefined && !facts.idp.toLowerCase().includes(facts.tid.toLowerCase());
}
