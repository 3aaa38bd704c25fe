import type { BatchStep, BatchStepResult, GraphApi } from '../../graph/client.js';
import { MAX_BATCH_STEPS } from '../../graph/client.js';
import { GraphRequestError } from '../../graph/errors.js';
import { stepBody } from '../_lib/batch-steps.js';
import { graphOf } from '../_lib/context.js';
import { userDetailOutput, type DetailRow } from '../_lib/user-detail.js';
import { readUserThen, stepHeader, userKey, userLabel } from '../_lib/user-target.js';
import { defineCommand } from '../types.js';
import { isPassword, methodDetail, methodKind, type AuthMethod } from './_methods.js';
import { oneUserArgs } from '../_lib/args.js';

type Outcome =
  | { kind: 'deleted'; requestId?: string }
  | { kind: 'failed'; status: number; code: string; message: string; requestId?: string };

function outcomeOf(result: BatchStepResult | undefined): Outcome {
  if (!result)
    return { kind: 'failed', status: 502, code: 'NoResponse', message: 'Graph did not answer for this method.' };
  const requestId = stepHeader(result, 'request-id');
  if (result.status >= 200 && result.status < 300) return { kind: 'deleted', requestId };
  const error = (result.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return {
    kind: 'failed',
    status: result.status,
    code: error?.code ?? `HTTP${result.status}`,
    message: error?.message ?? '',
    requestId,
  };
}

/** Deletes in `$batch` chunks of 20; a batch that fails as a whole leaves its methods with an "unknown" outcome. */
async function deleteAll(graph: GraphApi, steps: BatchStep[]): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  for (let start = 0; start < steps.length; start += MAX_BATCH_STEPS) {
    const chunk = steps.slice(start, start + MAX_BATCH_STEPS);
    try {
      const results = await graph.batch(chunk);
      for (const step of chunk) outcomes.set(step.id, outcomeOf(results.get(step.id)));
    } catch (err) {
      const code = err instanceof GraphRequestError ? err.graphCode : 'BatchFailed';
      const requestId = err instanceof GraphRequestError ? err.requestId : undefined;
      for (const step of chunk) {
        outcomes.set(step.id, {
          kind: 'failed',
          status: 0,
          code,
          message: 'the $batch itself failed, so this outcome is unknown: check with user methods',
          requestId,
        });
      }
    }
  }
  return outcomes;
}

export default defineCommand({
  name: 'user mfa reset',
  summary: "Deletes all of a user's authentication methods except the password, so they must register MFA again.",
  usage: 'user mfa reset <upn | object id | display name>',
  examples: ['user mfa reset alice@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'dangerous',
  scopes: ['UserAuthenticationMethod.ReadWrite.All', 'User.Read.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    const { user, results } = await readUserThen(graph, args.user, (path) => ({
      method: 'GET',
      url: `${path}/authentication/methods`,
    }));
    const methods = stepBody<{ value: AuthMethod[] }>(results, 'step').value ?? [];
    const key = userKey(user);
    const deletable = methods.filter((m) => !isPassword(m) && methodKind(m).segment);
    const steps: BatchStep[] = deletable.map((m, index) => ({
      id: String(index),
      method: 'DELETE',
      url: `/users/${user.id}/authentication/${methodKind(m).segment}/${encodeURIComponent(m.id)}`,
    }));
    const outcomes = await deleteAll(graph, steps);
    // Graph refuses to delete the default MFA method while others remain; the batch ran in parallel, so retry the
    // refused ones once, now that the others are gone. A second refusal is reported as it is.
    const refused = steps.filter((s) => {
      const o = outcomes.get(s.id);
      return o?.kind === 'failed' && o.status === 400;
    });
    if (refused.length > 0) for (const [id, outcome] of await deleteAll(graph, refused)) outcomes.set(id, outcome);

    // Every method gets a row: deleted, kept (password) or not deleted with Graph's reason; never a partial report.
    const rows: DetailRow[] = methods.map((m) => {
      const kind = methodKind(m);
      if (isPassword(m))
        return {
          title: kind.label,
          detail: 'kept: the password is not an MFA method',
          badge: 'Kept',
          badgeColor: 'Default',
        };
      if (!kind.segment)
        return {
          title: kind.label,
          detail: `${methodDetail(m)} · the bot cannot delete this type; remove it in the Entra admin center`,
          badge: 'Not deleted',
          badgeColor: 'Attention',
        };
      const outcome = outcomes.get(String(deletable.indexOf(m)));
      if (outcome?.kind === 'deleted')
        return {
          title: kind.label,
          detail: `${methodDetail(m)}${outcome.requestId ? ` · request-id ${outcome.requestId}` : ''}`,
          badge: 'Deleted',
          badgeColor: 'Good',
        };
      const reason = outcome
        ? `${outcome.code}: ${outcome.message}${outcome.requestId ? ` (request-id ${outcome.requestId})` : ''}`
        : 'not attempted';
      return {
        title: kind.label,
        detail: `${methodDetail(m)} · ${reason}`,
        badge: 'Not deleted',
        badgeColor: 'Attention',
      };
    });
    const toRemove = methods.filter((m) => !isPassword(m)).length;
    const deleted = [...outcomes.values()].filter((o) => o.kind === 'deleted').length;
    const complete = deleted === toRemove;
    const status = toRemove === 0 ? 'Nothing to reset' : `${deleted} of ${toRemove} deleted`;
    return userDetailOutput({
      title: toRemove === 0 ? 'No MFA method to reset' : complete ? 'MFA reset' : 'MFA reset incomplete',
      subtitle: userLabel(user),
      status,
      statusColor: toRemove === 0 ? 'Default' : complete ? 'Good' : deleted === 0 ? 'Attention' : 'Warning',
      rows,
      note:
        complete && toRemove > 0
          ? 'The user must register MFA again at next sign-in. If they have no other way in, give them a Temporary ' +
            'Access Pass.'
          : toRemove === 0
            ? 'Only a password is registered; nothing was deleted.'
            : 'Some methods remain (see above). Fix the cause and run the command again; deleted methods stay deleted.',
      actions: [
        { title: 'Temporary Access Pass', text: `user tap ${key} --once` },
        { title: 'Methods', text: `user methods ${key}` },
      ],
      text: `MFA reset of ${key}: ${status}${complete ? '' : '; see the card for what remains'}.`,
    });
  },
});
