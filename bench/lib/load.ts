// The bounded load generator: N concurrent conversations, each posting commands one after another to the bot over
// loopback; latency runs from the POST until the conversation's reply reaches the connector stand-in.
import type { Activity } from 'botbuilder';
import { postActivity } from '../../test/helpers/bot-server.js';
import type { ConnectorStandIn } from '../../test/helpers/connector.js';
import { readReply } from '../../test/identity/harness.js';
import { latencyStats, round, type LatencyStats } from './stats.js';

export interface LoadLevel {
  concurrency: number;
  maxRequests: number;
  maxMs: number;
}
export interface LoadResult extends LatencyStats {
  concurrency: number;
  throughputPerS: number;
  elapsedMs: number;
  errors: number;
  /** The bot process's CPU time per answered turn: what a fix saves, independent of other load on the machine. */
  cpuMsPerTurn?: number;
  /** This (bench) process's CPU per turn: the devtenant, the connector stand-in and the load generator share it. */
  benchCpuMsPerTurn?: number;
  /** Each answered turn's latency and command (for per-request ratios; not written to the report). */
  turns?: { ms: number; command: string }[];
}

/** Builds the activity for conversation `conversation` carrying `text`. */
export type ActivityFactory = (conversation: number, text: string) => Partial<Activity>;

/** Posts `text` and resolves with ms until the first reply in its conversation arrived (and the POST completed). */
export async function timedTurn(
  botUrl: string,
  connector: ConnectorStandIn,
  activity: Partial<Activity>,
  timeoutMs = 90_000,
): Promise<{ firstReplyMs: number; totalMs: number; text: string }> {
  const conversationId = activity.conversation!.id;
  const since = connector.replies.length;
  const start = performance.now();
  let text = '';
  const reply = connector
    .next((r) => r.conversationId === conversationId, timeoutMs, since)
    .then((r) => {
      text = readReply(r).text;
      return performance.now() - start;
    });
  // Observed at once: if the POST fails first, a later timeout of the reply wait must not become an
  // unhandled rejection.
  const settled = reply.then(
    (ms) => ({ ms }),
    (error: unknown) => ({ error }),
  );
  const response = await postActivity(botUrl, activity);
  await response.arrayBuffer();
  if (response.status >= 300) throw new Error(`bot answered HTTP ${response.status}`);
  const totalMs = performance.now() - start;
  const first = await settled;
  if ('error' in first) throw first.error;
  return { firstReplyMs: first.ms, totalMs, text };
}

/** Answers that are not the command's result (throttled, failed, asked to sign in): counted as errors, not samples. */
export const NOT_AN_ANSWER = /too many commands|something went wrong|could not finish|sign in to run|verify with mfa/i;

/** Runs one concurrency level; stops at `maxRequests` turns or `maxMs`, whichever comes first. */
export async function runLevel(
  botUrl: string,
  connector: ConnectorStandIn,
  makeActivity: ActivityFactory,
  mix: readonly string[],
  level: LoadLevel,
  conversationOffset: number,
  botCpuMs: () => number | undefined = () => undefined,
): Promise<LoadResult> {
  const cpuBefore = botCpuMs();
  const benchBefore = process.cpuUsage();
  const samples: number[] = [];
  const turns: { ms: number; command: string }[] = [];
  let issued = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + level.maxMs;
  const worker = async (w: number) => {
    for (let n = 0; issued < level.maxRequests && performance.now() < deadline && errors < 20; n++) {
      issued++;
      const text = mix[(w + n) % mix.length]!;
      try {
        const turn = await timedTurn(botUrl, connector, makeActivity(conversationOffset + w, text));
        if (NOT_AN_ANSWER.test(turn.text)) errors++;
        else {
          samples.push(turn.firstReplyMs);
          turns.push({ ms: turn.firstReplyMs, command: text });
        }
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: level.concurrency }, (_, w) => worker(w)));
  const elapsedMs = performance.now() - start;
  const cpuAfter = botCpuMs();
  const bench = process.cpuUsage(benchBefore);
  const benchCpuMsPerTurn = samples.length ? round((bench.user + bench.system) / 1000 / samples.length) : undefined;
  const cpuMsPerTurn =
    cpuBefore !== undefined && cpuAfter !== undefined && samples.length
      ? round((cpuAfter - cpuBefore) / samples.length)
      : undefined;
  return {
    concurrency: level.concurrency,
    ...latencyStats(samples),
    throughputPerS: round((samples.length / elapsedMs) * 1000),
    elapsedMs: round(elapsedMs),
    errors,
    cpuMsPerTurn,
    benchCpuMsPerTurn,
    turns,
  };
}

/** `count` turns, each in a conversation of its own (`offset` + n), `concurrency` at a time: conversations for RSS. */
export async function touchConversations(
  botUrl: string,
  connector: ConnectorStandIn,
  makeActivity: ActivityFactory,
  mix: readonly string[],
  count: number,
  concurrency: number,
  offset: number,
): Promise<{ answered: number; errors: number }> {
  let next = 0;
  let answered = 0;
  let errors = 0;
  const worker = async () => {
    while (next < count && errors < 20) {
      const n = next++;
      try {
        const turn = await timedTurn(botUrl, connector, makeActivity(offset + n, mix[n % mix.length]!));
        if (NOT_AN_ANSWER.test(turn.text)) errors++;
        else answered++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { answered, errors };
}
