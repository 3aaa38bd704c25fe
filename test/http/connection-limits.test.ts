import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { messageActivity } from '../helpers/activities.js';
import { startTestBot, type TestBot } from '../helpers/bot-server.js';
import { ConnectorStandIn } from '../helpers/connector.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw connection that trickles a request; resolves with when (ms after connecting) the server closed it. */
function trickle(port: number, head: string, drip: string, localAddress = '127.0.0.1') {
  const socket: Socket = connect({ host: '127.0.0.1', port, localAddress });
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let response = '';
  const closed = new Promise<{ ms: number; response: string }>((resolve) => {
    socket.on('data', (chunk) => (response += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ ms: Date.now() - started, response });
    });
  });
  const opened = new Promise<void>((resolve) => socket.once('connect', resolve));
  void opened.then(() => {
    socket.write(head);
    timer = setInterval(() => socket.writable && socket.write(drip), 1000);
  });
  return { socket, opened, closed };
}

/** Posts an activity from `localAddress` (any 127.x address is this host) with node:http, which can bind one. */
function postFrom(url: string, localAddress: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/messages`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json', connection: 'close' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('connection limits (real server, raw sockets)', function () {
  this.timeout(40_000);
  let bot: TestBot;
  let connector: ConnectorStandIn;
  let port: number;

  before(async () => {
    connector = await new ConnectorStandIn().start();
    bot = await startTestBot();
    port = Number(new URL(bot.url).port);
  });
  after(async () => {
    await bot.close();
    await connector.close();
  });

  it('closes a slow body and slow headers within 15 s (defaults: 10 s request, 5 s headers)', async () => {
    const slowBody = trickle(
      port,
      'POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
      ' ',
    );
    const slowHeaders = trickle(port, 'POST /api/messages HTTP/1.1\r\nHost: bot\r\n', 'X');
    const [body, headers] = await Promise.all([slowBody.closed, slowHeaders.closed]);
    console.log(`      slow body closed after ${body.ms} ms, slow headers after ${headers.ms} ms`);
    assert.ok(body.ms < 15_000, `slow body held ${body.ms} ms`);
    assert.ok(headers.ms < 15_000, `slow headers held ${headers.ms} ms`);
    // Not cut before the configured time either: the bound is the setting, not an accident.
    assert.ok(body.ms >= 9_000, `slow body cut early at ${body.ms} ms`);
    assert.ok(headers.ms >= 4_000, `slow headers cut early at ${headers.ms} ms`);
    assert.match(body.response, /^HTTP\/1\.1 408/);
  });

  it('answers a normal activity while one address holds 200 slow uploads, and refuses that address more', async () => {
    const slow = Array.from({ length: 200 }, () =>
      trickle(
        port,
        'POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{',
        ' ',
      ),
    );
    try {
      // Beyond the per-address cap (16 unfinished uploads) the others are answered 503 and closed at once.
      const refused = await Promise.all(
        slow.map((s) =>
          Promise.race([s.closed.then((c) => /^HTTP\/1\.1 503/.test(c.response)), sleep(3000).then(() => false)]),
        ),
      );
      assert.equal(refused.filter(Boolean).length, 200 - 16);

      const since = connector.replies.length;
      const body = JSON.stringify(messageActivity('whoami', { serviceUrl: connector.url }));
      const started = Date.now();
      assert.equal(await postFrom(bot.url, '127.0.0.2', body), 200);
      const reply = await connector.next(() => true, 10_000, since);
      console.log(`      normal activity from 127.0.0.2 answered in ${Date.now() - started} ms`);
      assert.ok(reply.activity.attachments?.length);
    } finally {
      for (const s of slow) s.socket.destroy();
    }
  });

  it("frees an address's slots when its uploads end: 16 new slow uploads from it are accepted again", async () => {
    await sleep(200); // the previous test's sockets were destroyed; the server sees them close
    const again = Array.from({ length: 16 }, () =>
      trickle(port, 'POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Length: 5000\r\n\r\n{', ' '),
    );
    try {
      await Promise.all(again.map((s) => s.opened));
      await sleep(1500);
      assert.deepEqual(
        again.map((s) => s.socket.destroyed || s.socket.readableEnded),
        Array<boolean>(16).fill(false),
        'none refused',
      );
    } finally {
      for (const s of again) s.socket.destroy();
    }
  });
});
