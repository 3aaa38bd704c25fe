import { catalog } from '../helpers/catalog.js';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { CommandRegistry } from '../../bot/commands/registry.js';
import type { AnyCommand, CommandContext } from '../../bot/commands/types.js';
import { loadConfig } from '../../bot/config.js';
import { CodedError } from '../../bot/errors.js';
import { AppIdentity } from '../../bot/identity/app-identity.js';
import { identitySettings } from '../../bot/identity/config.js';
import { loadTrustAnchors } from '../../bot/net/trust.js';
import { reportsSettings } from '../../bot/schedule/config.js';
import { ScheduleRepository } from '../../bot/schedule/repository.js';
import { ScheduleService } from '../../bot/schedule/service.js';
import { openSqliteStore } from '../../bot/store/database.js';
import { APP_IDS } from '../../devtenant/seed/index.js';
import { CommandHarness } from '../helpers/command-harness.js';
import { DEMO } from '../helpers/devtenant.js';
import { captureLogger } from '../helpers/log-capture.js';

const [add] = catalog('schedule add');

/**
 * What may run unattended: only `read` commands that declare `schedulable`, each working app-only with exactly
 * the application permissions it declares — and those are granted to the reports app (read permissions only).
 */
describe('schedulable commands (app-only, least privilege)', function () {
  this.timeout(60_000);
  const harness = new CommandHarness();
  let schedulable: AnyCommand[] = [];
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    schedulable = harness.registry.all().filter((c) => c.schedulable);
  });
  after(() => harness.close());

  it('are read commands only, and the reports app holds only read application permissions covering them', () => {
    assert.ok(schedulable.length >= 8, `${schedulable.length} schedulable commands`);
    assert.deepEqual(
      harness.registry
        .all()
        .filter((c) => c.schedulable && c.tier !== 'read')
        .map((c) => c.name),
      [],
    );
    const reportsApp = harness.dev.tenant.applications.find((a) => a.appId === APP_IDS.reports)!;
    const granted = reportsApp.appRoles ?? [];
    assert.deepEqual(
      granted.filter((r) => !/^[A-Za-z-]+\.Read(Basic)?\.[A-Za-z]+$/.test(r)),
      [],
      'no write permission on the reports app',
    );
    const missing = schedulable.flatMap((c) =>
      c.schedulable!.appScopes.filter((s) => !granted.includes(s)).map((s) => `${c.name}: ${s}`),
    );
    assert.deepEqual(missing, []);
    assert.throws(
      () =>
        new CommandRegistry([{ ...add, name: 'probe write', usage: 'probe write', schedulable: { appScopes: [] } }]),
      /only read commands can be scheduled/,
    );
  });

  it('each runs its examples with an app-only token holding just its declared application permissions', async () => {
    const problems: string[] = [];
    let requests = 0;
    let examples = 0;
    for (const command of schedulable) {
      const run = command.run;
      const token = await harness.dev.identity.issueToken({
        app: APP_IDS.reports,
        roles: command.schedulable!.appScopes,
      });
      command.run = (ctx: CommandContext, args: unknown) =>
        run.call(
          command,
          {
            ...ctx,
            session: {
              ...ctx.session!,
              roleTemplateIds: [],
              mfa: { amr: [], acrs: [] },
              app: { appId: APP_IDS.reports, scheduleId: 'TEST0001' },
              accessToken: async () => token,
            },
          },
          args,
        );
      try {
        for (const example of command.examples) {
          examples++;
          const answer = await harness.ask(example);
          requests += answer.graph.length;
          if (answer.graph.length === 0) problems.push(`${example}: no Graph request`);
          for (const entry of answer.graph) {
            if (entry.appId !== APP_IDS.reports || entry.userId !== null)
              problems.push(`${example}: ${entry.url} not app-only`);
            if (entry.status === 401 || entry.status === 403)
              problems.push(`${example}: ${entry.status} ${entry.method} ${entry.url}`);
          }
          if (/Authorization_RequestDenied|InvalidAuthenticationToken|went wrong/.test(answer.text))
            problems.push(`${example}: ${answer.text.slice(0, 160)}`);
          if (answer.problems.length) problems.push(`${example}: card ${answer.problems.join(', ')}`);
        }
      } finally {
        command.run = run;
      }
    }
    assert.deepEqual(problems, []);
    console.log(
      `      ${schedulable.length} schedulable commands, ${examples} examples, ${requests} Graph requests, all ` +
        `app-only`,
    );
  });

  it(
    'the reports app gets an app-only token by certificate (client credentials); a private key the app ' +
      'registration does not know is a coded error',
    async () => {
      const dev = harness.dev;
      const cert = dev.identity.reportsCertificate;
      const config = loadConfig({
        IDENTITY_AUTHORITY: dev.identity.authority,
        IDENTITY_CLIENT_ID: APP_IDS.bot,
        IDENTITY_CLIENT_SECRET: 'unused-here',
        TOKEN_CACHE_KEY: Buffer.alloc(32).toString('base64'),
        EXTRA_CA_FILE: dev.identity.caCertPath,
        GRAPH_BASE_URL: dev.graph.url,
        REPORTS_APP_ID: APP_IDS.reports,
        REPORTS_CERT_THUMBPRINT_SHA256: cert.thumbprintSha256,
        REPORTS_PRIVATE_KEY_FILE: cert.privateKeyPath,
      });
      const settings = identitySettings(config)!;
      const trust = loadTrustAnchors(settings.caFile);
      const log = captureLogger().log;
      const app = new AppIdentity(reportsSettings(config)!, settings, trust, log);
      const claims = decodeJwt(await app.accessToken());
      assert.equal(claims.appid ?? claims.azp, APP_IDS.reports);
      assert.equal(claims.azpacr, '2', 'certificate credential');
      assert.equal(claims.scp, undefined, 'no delegated scopes');
      assert.ok((claims.roles as string[]).includes('AuditLog.Read.All'));
      // A key the app registration does not know (the stand-in matches the assertion's signature, not its x5t#S256).
      const dir = mkdtempSync(join(tmpdir(), 'reports-key-'));
      const otherKey = join(dir, 'other.key.pem');
      writeFileSync(
        otherKey,
        generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
        { mode: 0o600 },
      );
      const wrong = new AppIdentity({ ...reportsSettings(config)!, privateKeyFile: otherKey }, settings, trust, log);
      rmSync(dir, { recursive: true, force: true });
      await assert.rejects(
        () => wrong.accessToken(),
        (err: unknown) => err instanceof CodedError && /could not get a token/.test(err.message),
      );
      assert.throws(
        () =>
          new AppIdentity(
            { ...reportsSettings(config)!, privateKeyFile: '/nonexistent/key.pem' },
            settings,
            trust,
            log,
          ),
        /REPORTS_PRIVATE_KEY_FILE cannot be read/,
      );
    },
  );

  it(
    "the reports app's Graph client keeps the configured Graph read timeout and budget (one client factory with " +
      'user calls)',
    async () => {
      const dev = harness.dev;
      const cert = dev.identity.reportsCertificate;
      const config = loadConfig({
        IDENTITY_AUTHORITY: dev.identity.authority,
        IDENTITY_CLIENT_ID: APP_IDS.bot,
        IDENTITY_CLIENT_SECRET: 'unused-here',
        TOKEN_CACHE_KEY: Buffer.alloc(32).toString('base64'),
        EXTRA_CA_FILE: dev.identity.caCertPath,
        GRAPH_BASE_URL: dev.graph.url,
        GRAPH_READ_TIMEOUT_MS: '1000',
        GRAPH_COMMAND_BUDGET_MS: '2000',
        REPORTS_APP_ID: APP_IDS.reports,
        REPORTS_CERT_THUMBPRINT_SHA256: cert.thumbprintSha256,
        REPORTS_PRIVATE_KEY_FILE: cert.privateKeyPath,
      });
      const settings = identitySettings(config)!;
      const app = new AppIdentity(
        reportsSettings(config)!,
        settings,
        loadTrustAnchors(settings.caFile),
        captureLogger().log,
      );
      await app.accessToken();
      // Graph answers after 6 s: the client's default (8 s read timeout) would wait; the configured 1 s does not.
      dev.graph.faults.add({ path: '/admin/serviceAnnouncement/healthOverviews', fault: { kind: 'delay', ms: 6_000 } });
      try {
        const started = Date.now();
        await assert.rejects(
          () => app.graph().get('/admin/serviceAnnouncement/healthOverviews'),
          (err: unknown) => err instanceof CodedError,
        );
        const took = Date.now() - started;
        assert.ok(took < 4_000, `gave up after ${took} ms (configured read timeout 1 s, budget 2 s)`);
      } finally {
        dev.graph.faults.clear();
      }
    },
  );

  it('answers that scheduled reports are not configured when the reports app is not (nothing stored)', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      const repo = new ScheduleRepository(store.db);
      const services = { registry: harness.registry, schedules: new ScheduleService({ repo, clock: Date.now }) };
      const args = (add.args.schema as z.ZodTypeAny).parse({ kind: 'daily', first: '08:00', second: 'admins nomfa' });
      const output = await add.run(
        { services, conversation: { id: 'c', kind: 'personal' } } as unknown as CommandContext,
        args,
      );
      assert.equal(output.data.title, 'Scheduled reports are not configured');
      assert.match(output.text, /REPORTS_APP_ID, REPORTS_CERT_THUMBPRINT_SHA256 and REPORTS_PRIVATE_KEY_FILE/);
      assert.equal((await store.db.selectFrom('schedules').selectAll().execute()).length, 0);
    } finally {
      await store.close();
    }
  });

  it(
    'configuration: all three reports settings or none, with an authority, a GUID and a SHA-256 thumbprint; values ' +
      'never echoed',
    () => {
      const base = {
        IDENTITY_AUTHORITY: 'https://login.microsoftonline.com/contoso/',
        IDENTITY_CLIENT_ID: APP_IDS.bot,
        IDENTITY_CLIENT_SECRET: 's',
        TOKEN_CACHE_KEY: Buffer.alloc(32).toString('base64'),
      };
      const reports = {
        REPORTS_APP_ID: APP_IDS.reports,
        REPORTS_CERT_THUMBPRINT_SHA256: 'ab'.repeat(32),
        REPORTS_PRIVATE_KEY_FILE: '/secure/reports.key.pem',
      };
      assert.equal(loadConfig({ ...base, ...reports }).REPORTS_APP_ID, APP_IDS.reports);
      assert.throws(
        () => loadConfig({ ...base, REPORTS_APP_ID: APP_IDS.reports }),
        /REPORTS_CERT_THUMBPRINT_SHA256: required[\s\S]*REPORTS_PRIVATE_KEY_FILE: required/,
      );
      assert.throws(() => loadConfig(reports), /IDENTITY_AUTHORITY: required for scheduled reports/);
      const secretish = 'not-a-thumbprint-SECRET123';
      assert.throws(
        () => loadConfig({ ...base, ...reports, REPORTS_CERT_THUMBPRINT_SHA256: secretish }),
        (err: Error) => /64 hex digits/.test(err.message) && !err.message.includes(secretish),
      );
      assert.throws(
        () => loadConfig({ ...base, ...reports, REPORTS_APP_ID: 'reports' }),
        /REPORTS_APP_ID: must be the reports app id/,
      );
    },
  );
});
