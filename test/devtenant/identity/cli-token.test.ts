import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { APP_IDS, ROLE } from '../../../devtenant/seed/index.js';
import { startIdentityFixture, type IdentityFixture } from '../../helpers/identity-fixture.js';
import { httpsJson } from '../../helpers/identity-https.js';

const run = promisify(execFile);

describe('devtenant CLI: token', function () {
  this.timeout(60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'devtenant-cli-'));
  let fx: IdentityFixture;
  let jwks: ReturnType<typeof createLocalJWKSet>;
  before(async () => {
    fx = await startIdentityFixture({ dataDir });
    jwks = createLocalJWKSet(
      (await httpsJson('GET', fx.idp.jwksUri, fx.idp.caCertPem)).body as unknown as JSONWebKeySet,
    );
  });
  after(async () => {
    await fx.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cli = async (...args: string[]) => {
    const port = new URL(fx.idp.url).port;
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      'devtenant/cli.ts',
      'token',
      ...args,
      '--data-dir',
      dataDir,
      '--identity-port',
      port,
    ]);
    return stdout.trim();
  };

  it("prints only a user token that verifies against the running provider's JWKS", async () => {
    const token = await cli(
      '--user',
      'admin@contoso.onmicrosoft.com',
      '--scope',
      'User.Read.All Directory.Read.All',
      '--amr',
      'pwd,mfa',
      '--acrs',
      'c1',
    );
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const { payload } = await jwtVerify(token, jwks, {
      issuer: fx.idp.issuer,
      audience: 'https://graph.microsoft.com',
    });
    assert.equal(payload.upn, 'admin@contoso.onmicrosoft.com');
    assert.equal(payload.scp, 'User.Read.All Directory.Read.All');
    assert.deepEqual(payload.amr, ['pwd', 'mfa']);
    assert.deepEqual(payload.acrs, ['c1']);
    assert.deepEqual(payload.wids, [ROLE.globalAdministrator]);
  });

  it('prints an app token with the requested roles', async () => {
    const token = await cli('--app', APP_IDS.reports, '--role', 'AuditLog.Read.All User.Read.All');
    const { payload } = await jwtVerify(token, jwks, {
      issuer: fx.idp.issuer,
      audience: 'https://graph.microsoft.com',
    });
    assert.deepEqual(payload.roles, ['AuditLog.Read.All', 'User.Read.All']);
    assert.equal(payload.appid, APP_IDS.reports);
  });
});
