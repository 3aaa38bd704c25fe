// Approval invoke latency (issue 9): a requester asks for a dangerous command (`admin block`), then the Universal
// Actions invokes Teams sends for the approval card are posted as invoke activities — the `approvalRefresh` of each
// viewer and the approver's Approve / Reject (Action.Execute, verb `run`). Teams shows the invoke response, so the
// latency is POST → HTTP response of the invoke (everything the bot does before answering is inside it).
import type { Activity } from 'botbuilder';
import type { ConnectorStandIn } from '../../test/helpers/connector.js';
import { postActivity } from '../../test/helpers/bot-server.js';
import { readReply } from '../../test/identity/harness.js';
import { latencyStats, type LatencyStats } from './stats.js';

/** Builds an activity from one user in the approvers' group chat. */
export type GroupActivity = (text: string, extra?: Partial<Activity>) => Partial<Activity>;

export interface InvokeResult {
  /** Approve and reject clicks (the decision is taken, the card updated and the answer posted before the response). */
  decisions: LatencyStats;
  refresh: LatencyStats;
  all: LatencyStats;
  approved: number;
  rejected: number;
  errors: string[];
}

export class BenchInvokeError extends Error {
  readonly code = 'BENCH_INVOKE';
}

const APPROVAL_ID = /Request ([0-9A-F]{10})/;

async function timedInvoke(
  botUrl: string,
  activity: Partial<Activity>,
): Promise<{ ms: number; status: number; body: string }> {
  const start = performance.now();
  const response = await postActivity(botUrl, activity);
  const body = await response.text();
  return { ms: performance.now() - start, status: response.status, body };
}

const invoke = (value: unknown): Partial<Activity> => ({ type: 'invoke', name: 'adaptiveCard/action', value });

/**
 * Asks for a dangerous command and returns the approval request's id; a step-up card on the way (MFA older than the
 * tier allows) is completed with `stepUp` and the parked request then produces the card.
 */
async function requestApproval(
  botUrl: string,
  connector: ConnectorStandIn,
  who: GroupActivity,
  text: string,
  stepUp: (url: string) => Promise<void>,
): Promise<string> {
  const conversationId = who('').conversation!.id;
  const since = connector.replies.length;
  const answer = (from: number) =>
    connector.next(
      (r) =>
        r.conversationId === conversationId &&
        r.method === 'POST' &&
        (APPROVAL_ID.test(readReply(r).text) || readReply(r).url !== undefined),
      20_000,
      from,
    );
  await (await postActivity(botUrl, who(text))).arrayBuffer();
  let reply = readReply(await answer(since));
  if (reply.url) {
    const after = connector.replies.length;
    await stepUp(reply.url);
    reply = readReply(await answer(after));
  }
  const id = APPROVAL_ID.exec(reply.text)?.[1];
  if (!id) throw new BenchInvokeError(`no approval card for "${text}": ${reply.text.slice(0, 200)}`);
  return id;
}

/**
 * `requests` approval requests; for each: both viewers refresh, then the approver approves (even) or rejects (odd).
 * First both admins get a fresh MFA (deciding and asking need one from the last 5 minutes) through one warm-up request
 * each, so the measured invokes never meet a step-up.
 */
export async function measureInvokes(
  botUrl: string,
  connector: ConnectorStandIn,
  requester: GroupActivity,
  approver: GroupActivity,
  target: string,
  requests: number,
  stepUp: { requester: (url: string) => Promise<void>; approver: (url: string) => Promise<void> },
): Promise<InvokeResult> {
  await requestApproval(
    botUrl,
    connector,
    approver,
    `admin block ${target} --reason "bench warm-up" --ticket BENCH-W`,
    stepUp.approver,
  );
  const decisions: number[] = [];
  const refresh: number[] = [];
  const errors: string[] = [];
  let approved = 0;
  let rejected = 0;
  for (let i = 0; i < requests; i++) {
    const id = await requestApproval(
      botUrl,
      connector,
      requester,
      `admin block ${target} --reason "bench ${i}" --ticket BENCH-${i}`,
      stepUp.requester,
    );

    for (const viewer of [approver, requester]) {
      const r = await timedInvoke(
        botUrl,
        viewer(
          '',
          invoke({ action: { type: 'Action.Execute', verb: 'approvalRefresh', data: { id } }, trigger: 'automatic' }),
        ),
      );
      if (r.status !== 200 || !r.body.includes('application/vnd.microsoft.card.adaptive'))
        errors.push(`refresh ${id}: HTTP ${r.status}`);
      else refresh.push(r.ms);
    }

    const decision = i % 2 === 0 ? 'approve' : 'reject';
    const before = connector.replies.length;
    const r = await timedInvoke(
      botUrl,
      approver(
        '',
        invoke({ action: { type: 'Action.Execute', verb: 'run', data: { text: `approval ${decision} ${id}` } } }),
      ),
    );
    const posted = connector.replies.slice(before).map((x) => readReply(x).text);
    const answered = posted.some((text) =>
      new RegExp(`You ${decision === 'approve' ? 'approved' : 'rejected'} request ${id}`).test(text),
    );
    if (r.status !== 200 || !answered) {
      errors.push(
        `${decision} ${id}: HTTP ${r.status}${answered ? '' : `, answered: ${posted.join(' | ').replace(/\s+/g, ' ').slice(0, 200)}`}`,
      );
      continue;
    }
    decisions.push(r.ms);
    if (decision === 'reject') {
      rejected++;
      continue;
    }
    approved++;
    // The approved command runs after the response; let it finish so it does not overlap the next measurement.
    await connector
      .next(
        (x) => x.method === 'PUT' && readReply(x).text.includes(id) && /Done|Failed/.test(readReply(x).text),
        20_000,
        before,
      )
      .catch(() => errors.push(`approved ${id}: no final card update`));
  }
  return {
    decisions: latencyStats(decisions),
    refresh: latencyStats(refresh),
    all: latencyStats([...decisions, ...refresh]),
    approved,
    rejected,
    errors,
  };
}
