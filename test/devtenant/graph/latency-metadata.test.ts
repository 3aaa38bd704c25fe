// GET /v1.0/$metadata (Microsoft's CSDL as application/xml, no token), and the latency model: fixed or log-normal
// (p50/p99), on every answer and on each $batch and the requests inside it; off unless configured.
import assert from 'node:assert/strict';
import { LatencyModel, parseLatency } from '../../../devtenant/graph/latency.js';
import { ADMIN_SCOPES, startHarness, type Harness } from './helpers.js';

describe('devtenant Graph: $metadata', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('serves the v1.0 CSDL as application/xml without a token', async () => {
    const res = await fetch(`${h.server.v1}/$metadata`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/xml/);
    const text = await res.text();
    assert.match(text.slice(0, 200), /<edmx:Edmx/);
    assert.match(text, /<EntityType Name="user" BaseType="graph.directoryObject"/);
  });

  it('is not served on beta (no beta CSDL here): 400 like any unknown segment', async () => {
    const res = await fetch(`${h.server.beta}/$metadata`, {
      headers: { authorization: `Bearer ${await h.userToken('admin', ADMIN_SCOPES)}` },
    });
    assert.equal(res.status, 400);
  });
});

describe('devtenant Graph: latency model', function () {
  this.timeout(30_000);

  it('parses "<ms>", "<p50>,<p99>", "p50=…,p99=…" and "off"; refuses anything else', () => {
    assert.deepEqual(parseLatency('100'), { fixedMs: 100 });
    assert.deepEqual(parseLatency('60,400'), { p50Ms: 60, p99Ms: 400 });
    assert.deepEqual(parseLatency('p50=60, p99=400'), { p50Ms: 60, p99Ms: 400 });
    assert.equal(parseLatency('off'), null);
    assert.equal(parseLatency('0'), null);
    assert.throws(() => parseLatency('400,60'));
    assert.throws(() => parseLatency('fast'));
  });

  it('log-normal samples have the configured median and 99th percentile (±15 %), deterministic per seed', () => {
    const model = new LatencyModel({ p50Ms: 40, p99Ms: 150, seed: 7 });
    const samples = Array.from({ length: 20_000 }, () => model.sample()).sort((a, b) => a - b);
    const p50 = samples[Math.floor(samples.length * 0.5)]!;
    const p99 = samples[Math.floor(samples.length * 0.99)]!;
    assert.ok(Math.abs(p50 - 40) / 40 < 0.15, `p50 ${p50}`);
    assert.ok(Math.abs(p99 - 150) / 150 < 0.15, `p99 ${p99}`);
    assert.ok(samples.every((s) => s > 0 && s <= 1500));
    const again = new LatencyModel({ p50Ms: 40, p99Ms: 150, seed: 7 });
    const first = new LatencyModel({ p50Ms: 40, p99Ms: 150, seed: 7 });
    assert.deepEqual(
      Array.from({ length: 5 }, () => again.sample()),
      Array.from({ length: 5 }, () => first.sample()),
    );
  });

  describe('on the server (fixed 120 ms)', () => {
    let h: Harness;
    let token: string;
    before(async () => {
      h = await startHarness({ server: { latency: { fixedMs: 120 } } });
      token = await h.userToken('admin', ADMIN_SCOPES);
    });
    after(() => h.close());

    it('every answer waits the latency', async () => {
      const start = performance.now();
      const res = await h.get('/v1.0/users?$top=1', token);
      assert.equal(res.status, 200);
      assert.ok(performance.now() - start >= 115, `took ${performance.now() - start} ms`);
    });

    it('a $batch waits once for itself and once for its requests, which run concurrently', async () => {
      const requests = [1, 2, 3].map((id) => ({ id: String(id), method: 'GET', url: '/users?$top=1' }));
      const start = performance.now();
      const res = await h.send('POST', '/v1.0/$batch', token, { requests });
      const took = performance.now() - start;
      assert.equal(res.status, 200);
      assert.ok(took >= 235, `took ${took} ms`);
    });
  });

  it('is off unless configured', async () => {
    const h = await startHarness();
    try {
      const token = await h.userToken('admin', ADMIN_SCOPES);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        await (await h.get('/v1.0/users?$top=1', token)).arrayBuffer();
        times.push(performance.now() - start);
      }
      // The fastest of five: a configured latency would put every one at or above it.
      assert.ok(Math.min(...times) < 100, `fastest ${Math.min(...times)} ms`);
    } finally {
      await h.close();
    }
  });
});
