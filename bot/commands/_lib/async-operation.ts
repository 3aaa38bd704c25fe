import type { GraphApi } from '../../graph/client.js';
import { GraphRequestError } from '../../graph/errors.js';

/**
 * Waits between polls of a long-running Graph operation (team archive, phone-number orders). Bounded on purpose:
 * at most four polls within about 2.5 s, so a chat answer never hangs; longer work is reported as still running.
 */
export const POLL_DELAYS_MS: readonly number[] = [150, 350, 700, 1300];

const TERMINAL = new Set(['succeeded', 'failed', 'skipped']);

export interface OperationState {
  /** Graph's status word (notStarted, inProgress/running, succeeded, failed), or 'unknown'. */
  status: string;
  /** True when Graph reported a final state within the polling budget. */
  finished: boolean;
  /** The operation's last body (for error details). */
  body: Record<string, unknown>;
  /** How many GETs were sent. */
  polls: number;
  /** Why the last check failed (Graph code and request-id), when it did: the write itself was already accepted. */
  checkFailed?: string;
}

/**
 * The path to GET for a `Location` header: Teams answers relative to the version root (`/teams('…')/operations('…')`),
 * telephone-number orders answer with an absolute URL. Absolute URLs must point at our own Graph host
 * (`relativeLink` refuses any other), so a forged header cannot send the admin's token elsewhere.
 */
export function operationPath(graph: GraphApi, location: string): string {
  if (/^https?:\/\//i.test(location)) return graph.relativeLink(location);
  const path = location.startsWith('/') ? location : `/${location}`;
  return path.replace(/^\/(v1\.0|beta)\//, '/');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls the operation at `location` until it reaches a final state or the budget is spent. */
export async function pollOperation(
  graph: GraphApi,
  location: string,
  delaysMs: readonly number[] = POLL_DELAYS_MS,
): Promise<OperationState> {
  const path = operationPath(graph, location);
  let state: OperationState = { status: 'unknown', finished: false, body: {}, polls: 0 };
  for (const delay of delaysMs) {
    await sleep(delay);
    let body: Record<string, unknown>;
    try {
      body = (await graph.get<Record<string, unknown>>(path)).body ?? {};
    } catch (err) {
      // Graph accepted the work; failing to read its progress must not read as "the change failed".
      if (!(err instanceof GraphRequestError)) throw err;
      return {
        ...state,
        polls: state.polls + 1,
        checkFailed: `${err.graphCode}, request-id ${err.requestId ?? 'n/a'}`,
      };
    }
    const status = typeof body.status === 'string' ? body.status : 'unknown';
    state = { status, finished: TERMINAL.has(status), body, polls: state.polls + 1 };
    if (state.finished) break;
  }
  return state;
}

/** Graph's error text on a failed operation (teamsAsyncOperation.error or a number order's statusDetail). */
export function operationError(body: Record<string, unknown>): string {
  const error = body.error as { code?: string; message?: string } | null | undefined;
  if (error?.message) return `${error.code ? `${error.code}: ` : ''}${error.message}`;
  const numbers = body.numbers as Array<{ statusDetail?: string | null }> | undefined;
  return numbers?.find((n) => n.statusDetail)?.statusDetail ?? 'Graph gave no reason.';
}
