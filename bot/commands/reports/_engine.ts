import type { BatchStepResult, GraphApi } from '../../graph/client.js';
import { MAX_BATCH_STEPS } from '../../graph/client.js';
import { CodedError, ErrorCode } from '../../errors.js';
import { graphOf, sessionOf } from '../_lib/context.js';
import type { CommandContext } from '../types.js';

/** Batches of fan-out reads in flight at once: enough to hide latency, few enough to stay under throttling. */
const BATCH_CONCURRENCY = 4;
/** A step Graph throttled (429) or could not serve (503/504) inside a $batch is sent again, this many times. */
const STEP_ATTEMPTS = 4;
const MAX_STEP_WAIT_MS = 10_000;

/**
 * Graph for one request of a long report. Each page gets its own client, so the per-command time budget (which
 * bounds one Teams turn) applies to one page with its retries and Retry-After waits, not to the whole tenant;
 * request-ids go to the command's own client so the audit record lists every request of the report.
 */
function pageClient(ctx: CommandContext): { graph: GraphApi; done: () => void } {
  if (!ctx.services.graphFor) throw new CodedError(ErrorCode.Internal, 'Graph access is not configured on this bot.');
  const graph = ctx.services.graphFor(sessionOf(ctx));
  const own = graphOf(ctx);
  return { graph, done: () => own.requestIds.push(...graph.requestIds.splice(0)) };
}

export interface Collection<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  /** The last page of a delta round (`users/delta`) carries the link that reads only what changes after it. */
  '@odata.deltaLink'?: string;
}

/** Counts of what a report sent, for its card and the bench. */
export interface Traffic {
  requests: number;
  pages: number;
  items: number;
}

export const newTraffic = (): Traffic => ({ requests: 0, pages: 0, items: 0 });

/**
 * Folds a Graph collection page by page: `onPage` sees each page once (with the path that fetched it), then it is
 * dropped, so memory does not grow with the tenant. Stops early when `onPage` returns 'stop'.
 */
export async function forEachPage<T>(
  ctx: CommandContext,
  path: string,
  onPage: (
    items: T[],
    page: { path: string; nextLink?: string; deltaLink?: string },
  ) => void | 'stop' | Promise<void | 'stop'>,
  traffic: Traffic,
  headers: Record<string, string> = {},
): Promise<void> {
  let next: string | undefined = path;
  while (next) {
    const { graph, done } = pageClient(ctx);
    let body: Collection<T>;
    try {
      body = (await graph.get<Collection<T>>(next, headers)).body;
    } finally {
      traffic.requests += graph.requestIds.length || 1;
      done();
    }
    const items = body.value ?? [];
    const link = body['@odata.nextLink'];
    traffic.pages++;
    traffic.items += items.length;
    const deltaLink = body['@odata.deltaLink'] ? graph.relativeLink(body['@odata.deltaLink']) : undefined;
    const verdict = await onPage(items, { path: next, nextLink: link, deltaLink });
    next = link ? graph.relativeLink(link) : undefined;
    if (verdict === 'stop') return;
  }
}

/** One GET per url, as `$batch`es of 20 (a few in flight); steps throttled inside a batch are sent again. */
export async function batchGet(
  ctx: CommandContext,
  urls: string[],
  onResult: (index: number, result: BatchStepResult) => void,
  traffic: Traffic,
): Promise<void> {
  const chunks: number[][] = [];
  for (let i = 0; i < urls.length; i += MAX_BATCH_STEPS)
    chunks.push(urls.slice(i, i + MAX_BATCH_STEPS).map((_, j) => i + j));
  let cursor = 0;
  const worker = async () => {
    while (cursor < chunks.length) {
      let pending = chunks[cursor++];
      for (let attempt = 1; pending.length > 0; attempt++) {
        const { graph, done } = pageClient(ctx);
        let results: Map<string, BatchStepResult>;
        try {
          results = await graph.batch(pending.map((index) => ({ id: String(index), method: 'GET', url: urls[index] })));
        } finally {
          traffic.requests++;
          done();
        }
        const retry: number[] = [];
        let waitSeconds = 1;
        for (const index of pending) {
          const result = results.get(String(index));
          const transient = !result || result.status === 429 || result.status === 503 || result.status === 504;
          if (transient && attempt < STEP_ATTEMPTS) {
            retry.push(index);
            waitSeconds = Math.max(waitSeconds, Number(retryAfter(result)) || 1);
          } else onResult(index, result ?? { id: String(index), status: 502 });
        }
        pending = retry;
        if (pending.length > 0) await new Promise((r) => setTimeout(r, Math.min(waitSeconds * 1000, MAX_STEP_WAIT_MS)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, chunks.length) }, worker));
}

function retryAfter(result: BatchStepResult | undefined): string | undefined {
  return Object.entries(result?.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
}

/**
 * One report of a kind per tenant at a time (per instance): a second request for the same report while one runs
 * waits for it and gets the same answer, instead of reading the whole tenant again. The key includes the caller's
 * roles, so an admin never receives a report computed with rights they do not hold.
 */
const running = new Map<string, Promise<unknown>>();

export async function joinOrRun<T>(key: string, run: () => Promise<T>): Promise<{ result: T; joined: boolean }> {
  const existing = running.get(key) as Promise<T> | undefined;
  if (existing) return { result: await existing, joined: true };
  const started = run();
  running.set(key, started);
  try {
    return { result: await started, joined: false };
  } finally {
    running.delete(key);
  }
}

/** The join key of a report: tenant, report and arguments, and who may see it (roles, or the reports app). */
export function reportKey(ctx: CommandContext, report: string): string {
  const session = sessionOf(ctx);
  const who = session.app ? `app:${session.app.appId}` : [...session.roleTemplateIds].sort().join(',');
  return `${session.tenantId}|${report}|${who}`;
}
