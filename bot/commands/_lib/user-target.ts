import type { BatchStep, BatchStepResult, GraphApi } from '../../graph/client.js';
import { isGuid, userPath } from '../../graph/odata.js';
import { stepBody } from './batch-steps.js';
import { USER_SUMMARY_FIELDS, resolveUser, type GraphUser } from './users.js';

/** The Graph path of a typed user that needs no lookup (object id or UPN), or undefined for a display name. */
export function directUserPath(typed: string): string | undefined {
  return isGuid(typed) || typed.includes('@') ? userPath(typed) : undefined;
}

/**
 * Where to address a typed user: an object id or UPN directly (no extra round trip), a display name after
 * resolving it (choice card when ambiguous). `who` is how the card names them.
 */
export async function userAddress(graph: GraphApi, typed: string): Promise<{ path: string; who: string }> {
  const direct = directUserPath(typed);
  if (direct) return { path: direct, who: typed };
  const user = await resolveUser(graph, typed);
  return { path: `/users/${user.id}`, who: String(user.userPrincipalName ?? user.id) };
}

/** A request against the target user, given its Graph path (`/users/{id}` or `/users('upn')`). */
export type UserStep = (path: string) => Omit<BatchStep, 'id' | 'dependsOn'>;

/**
 * Confirms the target user and sends one request about them in a single round trip. For an object id or UPN it
 * is one `$batch`: [read the user, then the step, which `dependsOn` the read], so a write never runs against a
 * user Graph did not return, and the card can name who was changed. A display name is resolved first (choice
 * card when ambiguous, never a guess), then the step goes alone, addressed by object id.
 * Throws the Graph error of the read; the step's outcome is `results.get('step')` (use `stepBody(results, 'step')`).
 */
export async function readUserThen(
  graph: GraphApi,
  typed: string,
  step: UserStep,
  select: string[] = USER_SUMMARY_FIELDS,
): Promise<{ user: GraphUser; results: Map<string, BatchStepResult> }> {
  const direct = directUserPath(typed);
  if (direct) {
    const fields = [...new Set([...USER_SUMMARY_FIELDS, ...select])];
    const results = await graph.batch([
      { id: 'user', method: 'GET', url: `${direct}?$select=${fields.join(',')}` },
      { id: 'step', ...step(direct), dependsOn: ['user'] },
    ]);
    const user = stepBody<GraphUser>(results, 'user');
    return { user, results };
  }
  const user = await resolveUser(graph, typed, select);
  const results = await graph.batch([{ id: 'step', ...step(`/users/${user.id}`) }]);
  return { user, results };
}

/** A header of a `$batch` step's response (Graph does not promise the case of header names inside a batch). */
export function stepHeader(result: BatchStepResult | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(result?.headers ?? {}).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** "Alice Anders · alice@contoso.com": how cards name a user. */
export function userLabel(user: GraphUser): string {
  const upn = String(user.userPrincipalName ?? user.id);
  return user.displayName ? `${user.displayName} · ${upn}` : upn;
}

/** The UPN when Graph gave one (follow-up commands are typed with it), else the object id. */
export function userKey(user: GraphUser): string {
  return String(user.userPrincipalName ?? user.id);
}
