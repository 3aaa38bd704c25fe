import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { msalSystemOptions } from '../../bot/identity/msal.js';
import { KeepAliveNetworkClient } from '../../bot/identity/msal-network.js';
import { createLogger } from '../../bot/log.js';
import { ensureTlsMaterial, type TlsMaterial } from '../../devtenant/identity/key-material.js';

/** msal's network module: one kept-alive connection, TLS verified against the trust anchors, msal's body contract. */
describe('identity: msal network client (keep-alive, trust anchors)', () => {
  let dir: string;
  let tls: TlsMaterial;
  let server: Server;
  let url: string;
  const connections: string[] = [];
  const seen: { method?: string; body: string; contentType?: string }[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'msal-net-'));
    tls = await ensureTlsMaterial(dir);
    server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method, body, contentType: req.headers['content-type'] });
        if (req.url === '/broken') {
          res.writeHead(502, { 'content-type': 'text/html' });
          res.end('<html>bad gateway</html>');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'x-ms-request-id': 'r1' });
        res.end(JSON.stringify({ access_token: 'not-a-real-token', echoed: body }));
      });
    });
    server.on('secureConnection', (socket) => connections.push(`${socket.remotePort}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://localhost:${(server.address() as { port: number }).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts the body, parses JSON and answers with status and headers, reusing kept-alive connections', async () => {
    const client = msalSystemOptions(createLogger({ level: 'silent' }), tls.caCertPem).networkClient!;
    const before = connections.length;
    for (let i = 0; i < 6; i++) {
      const response = await client.sendPostRequestAsync<{ echoed: string }>(`${url}/token`, {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=refresh_token&n=${i}`,
      });
      assert.equal(response.status, 200);
      assert.equal(response.body.echoed, `grant_type=refresh_token&n=${i}`);
      assert.equal(response.headers['x-ms-request-id'], 'r1');
    }
    assert.equal(seen.at(-1)!.contentType, 'application/x-www-form-urlencoded');
    // msal's own client opens one TLS connection per request (6 here); undici opens a second one at most while the
    // first connection's TLS session settles, then reuses them.
    assert.ok(connections.length - before <= 2, `six token requests, ${connections.length - before} TLS connections`);
    assert.equal(
      msalSystemOptions(createLogger({ level: 'silent' }), tls.caCertPem).networkClient,
      client,
      'shared per trust anchors',
    );
  });

  it('turns a body that is not JSON into an OAuth-style error, as msal expects', async () => {
    const client = msalSystemOptions(createLogger({ level: 'silent' }), tls.caCertPem).networkClient!;
    const response = await client.sendGetRequestAsync<{ error: string }>(`${url}/broken`);
    assert.equal(response.status, 502);
    assert.equal(response.body.error, 'server_error');
  });

  it('refuses a server whose certificate is not from the trust anchors (system roots only)', async () => {
    const client = new KeepAliveNetworkClient();
    await assert.rejects(client.sendGetRequestAsync(`${url}/token`), (err: Error) =>
      /certificate|self.signed|verify/i.test(`${err.message} ${String((err as { cause?: unknown }).cause)}`),
    );
  });
});
