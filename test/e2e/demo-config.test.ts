import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../bot/config.js';
import { identitySettings } from '../../bot/identity/config.js';
import { reportsSettings } from '../../bot/schedule/config.js';
import { ensureClientCertificate } from '../../devtenant/identity/key-material.js';
import { APP_IDS, createTenant, DEMO_TENANT_ID, ROLE } from '../../devtenant/seed/index.js';
import { demoBotEnv } from '../../scripts/demo/bot-env.js';
import {
  buildPlaygroundConfig,
  PLAYGROUND_APPROVER,
  PLAYGROUND_CURRENT_USER,
} from '../../scripts/demo/playground-config.js';
import { REPO_ROOT } from '../../scripts/demo/stack.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const ADMIN_ROLES: string[] = [ROLE.globalAdministrator, ROLE.teamsAdministrator, ROLE.userAdministrator];

describe('demo configuration (npm start)', () => {
  it('gives the Playground a mock tenant of devtenant users with valid GUIDs', () => {
    const config = buildPlaygroundConfig();
    const tenant = createTenant({ size: 'demo' });
    assert.equal(config.tenantId, DEMO_TENANT_ID);
    assert.equal(config.users.length, 5, 'the Playground requires exactly five other users');
    for (const user of [config.currentUser, ...config.users]) {
      assert.match(user.aadObjectId, GUID);
      const seeded = tenant.userById(user.aadObjectId);
      assert.equal(seeded?.userPrincipalName, user.userPrincipleName);
    }
    assert.match(config.team.aadGroupId, GUID);
    assert.ok(tenant.teams.some((t) => t.id === config.team.aadGroupId));
    assert.equal(config.bot.id, `28:${APP_IDS.bot}`);
  });

  it('makes the current user a seeded admin and puts a second admin (with MFA) in the group chat and team', () => {
    const config = buildPlaygroundConfig();
    const tenant = createTenant({ size: 'demo' });
    const roles = (oid: string) =>
      tenant.roleAssignments.filter((a) => a.principalId === oid).map((a) => a.roleDefinitionId);
    assert.ok(
      roles(config.currentUser.aadObjectId).some((r) => ADMIN_ROLES.includes(r)),
      `${PLAYGROUND_CURRENT_USER} is an admin`,
    );
    const approver = config.users.find((u) => u.userPrincipleName.startsWith(`${PLAYGROUND_APPROVER}@`));
    assert.ok(approver);
    assert.ok(roles(approver.aadObjectId).some((r) => ADMIN_ROLES.includes(r)));
    assert.ok(tenant.userById(approver.aadObjectId)?.credentials.totpSecret, 'the approver can pass MFA');
  });

  it('gives the bot an identity configuration its own validation accepts', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'demo-env-'));
    try {
      const env = demoBotEnv({
        devtenant: {
          graph: 'https://localhost:8080',
          identity: 'https://localhost:8443',
          authority: `https://localhost:8443/${DEMO_TENANT_ID}/`,
          caFile: '/dev/null',
        },
        port: 3978,
        dataDir,
        publicBaseUrl: 'http://127.0.0.1:3978',
      });
      const identity = identitySettings(loadConfig(env));
      assert.ok(identity, 'identity is on');
      assert.equal(identity.redirectUri, 'http://127.0.0.1:3978/auth/callback');
      assert.equal(identity.clientId, APP_IDS.bot);
      assert.equal(
        demoBotEnv({
          devtenant: { graph: '', identity: '', authority: '', caFile: '' },
          port: 1,
          dataDir,
          publicBaseUrl: '',
        }).TOKEN_CACHE_KEY,
        env.TOKEN_CACHE_KEY,
        'the token-cache key is kept across starts',
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("configures scheduled reports with the reports app's certificate: thumbprint as Entra shows it, key by file", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'demo-env-'));
    try {
      const certificate = await ensureClientCertificate(dataDir, 'reports-app');
      const env = demoBotEnv({
        devtenant: {
          graph: 'https://localhost:8080',
          identity: 'https://localhost:8443',
          authority: `https://localhost:8443/${DEMO_TENANT_ID}/`,
          caFile: '/dev/null',
          reportsCertificate: {
            certificateFile: certificate.certificatePath,
            privateKeyFile: certificate.privateKeyPath,
          },
        },
        port: 3978,
        dataDir,
        publicBaseUrl: 'http://127.0.0.1:3978',
      });
      const reports = reportsSettings(loadConfig(env));
      assert.equal(reports?.appId, APP_IDS.reports);
      assert.equal(reports?.thumbprintSha256, certificate.thumbprintSha256);
      assert.equal(reports?.privateKeyFile, certificate.privateKeyPath);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('loopback-only preload: listening sockets land on 127.0.0.1 and outbound connections elsewhere are refused', () => {
    const preload = pathToFileURL(join(REPO_ROOT, 'scripts/demo/loopback-only.mjs')).href;
    const program = `
      const net = require('node:net');
      const server = net.createServer().listen(0, () => {
        const socket = net.connect({ host: 'example.com', port: 443 });
        socket.on('error', (e) => { console.log(JSON.stringify({ address: server.address().address, error: e.code })); server.close(); });
      });`;
    const result = execFileSync(process.execPath, [`--import=${preload}`, '-e', program], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.deepEqual(JSON.parse(result), { address: '127.0.0.1', error: 'ECONNREFUSED' });
  });
});
