// Graph round trips per command (from the stand-in's request log) and the stand-in's own time for them: the logged
// GETs are replayed sequentially with a minted token, so "echo + stand-in time" can be computed from this run.
import { Agent, request } from 'node:https';
import type { DevTenant } from '../../devtenant/index.js';
import { criticalPathSteps } from './interactive.js';

export interface CommandGraphCost {
  command: string;
  roundTrips: number;
  /** Steps on the critical path (requests in flight together count once); only with a Graph latency set. */
  sequential?: number;
  batched: number;
  standInMs: number;
  paths: string[];
}

function get(agent: Agent, url: URL, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(
      url,
      { agent, headers: { authorization: `Bearer ${token}`, ConsistencyLevel: 'eventual' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - start));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Runs `send` once with a clean log, counts what the bot asked Graph, replays the GETs three times and keeps the
 * fastest.
 */
export async function graphCost(
  dev: DevTenant,
  command: string,
  upn: string,
  send: () => Promise<unknown>,
  latencyMs = 0,
): Promise<CommandGraphCost> {
  dev.graph.clearLog();
  await send();
  const entries = [...dev.graph.requestLog];
  const direct = entries.filter((e) => !e.viaBatch);
  const arrivals = direct.map((e) => ({ at: Date.parse(e.time), what: e.url }));
  const token = await dev.identity.issueToken({
    user: upn,
    scopes: [
      'User.Read.All',
      'AuditLog.Read.All',
      'RoleManagement.Read.Directory',
      'Team.ReadBasic.All',
      'Directory.Read.All',
    ],
    amr: ['pwd', 'mfa'],
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: dev.identity.caCertPem });
  let best = Number.POSITIVE_INFINITY;
  try {
    for (let round = 0; round < 3; round++) {
      let total = 0;
      for (const e of direct.filter((d) => d.method === 'GET'))
        total += await get(agent, new URL(e.url, dev.graph.url), token);
      best = Math.min(best, total);
    }
  } finally {
    agent.destroy();
  }
  return {
    command,
    roundTrips: direct.length,
    ...(latencyMs ? { sequential: criticalPathSteps(arrivals, latencyMs).length } : {}),
    batched: entries.length - direct.length,
    standInMs: Math.round(best * 10) / 10,
    paths: direct.map((e) => `${e.method} ${e.url.split('?')[0]}`),
  };
}
