// Interactive latency (issue 14): single commands one at a time, with the Graph stand-in answering every request
// after a fixed delay (`--graph-latency <ms>`), so what an admin waits for is the number of *sequential* Graph round
// trips. Those are read from the stand-in's request log: requests that arrive within half a delay of each other were
// in flight together; a later one had to wait for an earlier answer (a new step on the critical path).
import type { DevTenant } from '../../devtenant/index.js';
import { latencyStats, type LatencyStats } from './stats.js';

export interface InteractiveResult {
  command: string;
  /** First reply (the command's card) after the POST of the activity, over the runs. */
  firstCard: LatencyStats;
  /** Sequential Graph round trips (critical path), median over the runs. */
  sequentialRoundTrips: number;
  /** Every Graph request the command sent (outside `$batch` bodies), median over the runs. */
  requests: number;
  /** The request paths of the last run, in arrival order, with the critical-path step each belongs to. */
  steps: string[];
  /** The start of the last answer, so a run that measured error cards is visible in the report. */
  reply: string;
  /** The bot process's CPU time per run of this command (user + system, from /proc). */
  botCpuMs?: number;
}

export interface Arrival {
  at: number;
  what: string;
}

/**
 * Groups request arrivals into critical-path steps: a request opens a new step when it arrives at least half a
 * delay after the first request of the current step (it could only be sent once an earlier answer was back).
 */
export function criticalPathSteps(arrivals: readonly Arrival[], delayMs: number): Arrival[][] {
  const sorted = [...arrivals].sort((a, b) => a.at - b.at);
  const steps: Arrival[][] = [];
  for (const arrival of sorted) {
    const current = steps.at(-1);
    if (current && arrival.at - current[0]!.at < delayMs / 2) current.push(arrival);
    else steps.push([arrival]);
  }
  return steps;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;

/** Runs `command` `runs` times (one after another) and reads its critical path from the stand-in's request log. */
export async function measureInteractive(
  dev: DevTenant,
  command: string,
  runs: number,
  delayMs: number,
  send: (command: string) => Promise<{ firstReplyMs: number; text: string }>,
  botCpuMs: () => number | undefined = () => undefined,
): Promise<InteractiveResult> {
  const cpuBefore = botCpuMs();
  const firstCard: number[] = [];
  const sequential: number[] = [];
  const requests: number[] = [];
  let steps: string[] = [];
  let reply = '';
  for (let i = 0; i < runs; i++) {
    dev.graph.clearLog();
    const turn = await send(command);
    // The devtenant logs a request when its handler runs (on arrival); the delay is applied to the answer.
    const arrivals = dev.graph.requestLog
      .filter((e) => !e.viaBatch)
      .map((e) => ({ at: Date.parse(e.time), what: `${e.method} ${e.url.split('?')[0]}` }));
    const path = criticalPathSteps(arrivals, delayMs);
    firstCard.push(turn.firstReplyMs);
    sequential.push(path.length);
    requests.push(arrivals.length);
    steps = path.flatMap((step, n) => step.map((a) => `${n + 1}: ${a.what}`));
    reply = turn.text.replace(/\s+/g, ' ').slice(0, 100);
  }
  const cpuAfter = botCpuMs();
  return {
    command,
    botCpuMs:
      cpuBefore !== undefined && cpuAfter !== undefined
        ? Math.round(((cpuAfter - cpuBefore) / runs) * 10) / 10
        : undefined,
    firstCard: latencyStats(firstCard),
    sequentialRoundTrips: median(sequential),
    requests: median(requests),
    steps,
    reply,
  };
}
