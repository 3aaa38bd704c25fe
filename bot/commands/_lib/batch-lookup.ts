import { AmbiguousTargetError, NotFoundError } from '../../errors.js';
import type { BatchStep, BatchStepResult, GraphApi } from '../../graph/client.js';

/**
 * A name-to-object resolution expressed as `$batch` steps plus the rule that picks the answer from their results.
 * Several lookups (a team and a user, a user and a policy id) then travel in ONE round trip instead of one each.
 */
export interface Lookup<T> {
  steps: BatchStep[];
  pick(results: Map<string, BatchStepResult>): T;
}

/**
 * Runs lookups in one round trip and returns their answers in order; the first failing lookup throws. Several
 * requests go as one `$batch`; a lone GET goes as itself (a batch of one would only add an envelope).
 */
export async function runLookups<T extends unknown[]>(
  graph: GraphApi,
  ...lookups: { [K in keyof T]: Lookup<T[K]> }
): Promise<T> {
  const steps = lookups.flatMap((l) => l.steps);
  const results =
    steps.length === 1 && steps[0].method === 'GET' ? await single(graph, steps[0]) : await graph.batch(steps);
  return lookups.map((l) => l.pick(results)) as T;
}

async function single(graph: GraphApi, step: BatchStep): Promise<Map<string, BatchStepResult>> {
  const response = await graph.get<unknown>(step.url, step.headers);
  return new Map([[step.id, { id: step.id, status: response.status, body: response.body }]]);
}

/** A lookup with nothing to fetch, for an optional member of `runLookups`. */
export const NOTHING: Lookup<undefined> = { steps: [], pick: () => undefined };

/** How many same-named objects a choice card offers; more means the admin should type a unique key. */
export const MAX_CANDIDATES = 5;

/**
 * Picks one object from an exact-name query and a prefix query: exactly one exact match wins; otherwise a
 * single prefix match; none → not found; several → a choice card (never a guess).
 */
export function pickExactOrPrefix<T>(
  typed: string,
  exact: T[],
  prefix: T[],
  describe: { noun: string; label(item: T): string; value(item: T): string; hint: string },
): T {
  if (exact.length === 1) return exact[0];
  if (exact.length === 0 && prefix.length === 1) return prefix[0];
  if (exact.length === 0 && prefix.length === 0)
    throw new NotFoundError(`No ${describe.noun}'s name starts with "${typed}". ${describe.hint}`);
  const candidates = (exact.length > 1 ? exact : prefix).slice(0, MAX_CANDIDATES);
  throw new AmbiguousTargetError(
    typed,
    candidates.map((item) => ({ label: describe.label(item), value: describe.value(item) })),
  );
}
