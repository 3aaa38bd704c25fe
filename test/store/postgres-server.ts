import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../helpers/ports.js';

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL server for tests: its own data directory under the temp dir, listening on a free port on
 * 127.0.0.1 only, with a password (scram) for the test user. Uses the Debian `postgresql` binaries (`.ci/run`
 * installs them). The server refuses to run as root, so as root it runs as the `postgres` user.
 *
 * `TEST_DATABASE_URL` (a superuser URL of an existing server) skips all this: the tests then make their own
 * databases there.
 */
export interface TestPostgres {
  /** A superuser URL for the server's `postgres` database. */
  readonly adminUrl: string;
  /** Creates an empty database (or a copy of `template`, a database name) and returns its URL. */
  createDatabase(template?: string): Promise<string>;
  /**
   * Stops the server (fast mode: every connection is cut, open transactions are rolled back; not immediate mode,
   * which with this cluster's synchronous_commit=off would also drop the last commits) and starts it again on the
   * same data directory and port, for tests of a database outage. Not available with `TEST_DATABASE_URL`.
   */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

function findBinDir(): string {
  const fromPgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates = [
    fromPgConfig.status === 0 ? fromPgConfig.stdout.trim() : '',
    ...(existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : []),
  ];
  const dir = candidates.find((d) => d && existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
  if (!dir)
    throw new Error('PostgreSQL server binaries not found: install the Debian "postgresql" package (.ci/run does)');
  return dir;
}

const asRoot = process.getuid?.() === 0;

/** Runs a server binary, as the `postgres` user when we are root. */
function runPg(bin: string, args: string[]) {
  return asRoot ? run('runuser', ['-u', 'postgres', '--', bin, ...args]) : run(bin, args);
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const unavailable = async () => {
      throw new Error("pause/resume need the tests' own PostgreSQL server (unset TEST_DATABASE_URL)");
    };
    return handle(external, async () => undefined, { pause: unavailable, resume: unavailable });
  }

  const bin = findBinDir();
  // As root the server runs as `postgres`, which must reach the directory: /tmp, not a private TMPDIR.
  const dir = mkdtempSync(join(asRoot ? '/tmp' : tmpdir(), 'bot-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(18).toString('base64url');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, password, { mode: 0o600 });
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  await runPg(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--pwfile',
    pwfile,
    '-A',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync',
    '--locale',
    'C.UTF-8',
  ]);
  rmSync(pwfile);
  let port = 0;
  // Loopback TCP only, sockets in the private dir; fsync off: a test cluster needs no durability.
  const optionsFor = (p: number) =>
    `-c listen_addresses=127.0.0.1 -p ${p} -k ${dir} -c fsync=off -c synchronous_commit=off -c ` +
    `full_page_writes=off -c max_connections=200`;
  const startServer = (p: number) =>
    runPg(join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-o',
      optionsFor(p),
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '30',
      'start',
    ]);
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await startServer(port);
      break;
    } catch (err) {
      if (attempt >= 3) throw new Error(`PostgreSQL did not start: ${String(err)}`);
    }
  }
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  // If the test process dies without its after hooks, the server must not outlive it.
  const stopNow = () => {
    const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
    if (asRoot) spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args]);
    else spawnSync(join(bin, 'pg_ctl'), args);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  const stopServer = () => runPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
  return handle(
    adminUrl,
    async () => {
      process.removeListener('exit', stopNow);
      await stopServer().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
    {
      pause: async () => void (await runPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'])),
      resume: async () => void (await startServer(port)),
    },
  );
}

function postgresUser(): { uid: number; gid: number } {
  const out = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error('running as root needs the "postgres" user (Debian postgresql package)');
  return { uid: Number(out.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function handle(
  adminUrl: string,
  stopServer: () => Promise<void>,
  outage: Pick<TestPostgres, 'pause' | 'resume'>,
): TestPostgres {
  const created: string[] = [];
  let counter = 0;
  return {
    adminUrl,
    ...outage,
    async createDatabase(template?: string) {
      const name = `bot_test_${process.pid}_${Date.now().toString(36)}_${++counter}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        if (template !== undefined && !/^\w+$/.test(template)) throw new Error(`bad template name ${template}`);
        await client.query(`create database ${name}${template ? ` template ${template}` : ''}`);
      } finally {
        await client.end();
      }
      created.push(name);
      return withDatabase(adminUrl, name);
    },
    async stop() {
      if (process.env.TEST_DATABASE_URL) {
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        for (const name of created)
          await client.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
        await client.end();
      }
      await stopServer();
    },
  };
}
