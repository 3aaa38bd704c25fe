// The local demo as supervised child processes: devtenant (Graph + Entra ID stand-ins, demo tenant) → bot (identity
// pointed at the devtenant) → Microsoft 365 Agents Playground (mock tenant = devtenant users). Used by `npm start`
// (fixed ports) and by the browser tests (free ports). Every child gets the loopback-only preload.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { demoBotEnv, type DevTenantEndpoints } from './bot-env.js';
import { SupervisedChild } from './child-process.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Compiled (`dist/scripts/demo/*.js`, from `npm start`) or from source through tsx (tests). */
const COMPILED = import.meta.url.endsWith('.js');
export const REPO_ROOT = resolve(HERE, COMPILED ? '../../..' : '../..');
const PRELOAD = pathToFileURL(join(REPO_ROOT, 'scripts/demo/loopback-only.mjs')).href;

export const PLAYGROUND_TELEMETRY_OFF = {
  TEAMSAPPTESTER_BROWSER: 'none',
  APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
  APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({
    disableAppInsights: true,
    disableStatsbeat: true,
    enableAutoCollectHeartbeat: false,
  }),
};

export interface DemoPorts {
  identity: number;
  graph: number;
  bot: number;
  playground: number;
}

export interface DemoStackOptions {
  /** Holds the devtenant's keys, the bot's database, the logs. */
  stateDir: string;
  ports: DemoPorts;
  playgroundConfigFile: string;
  /** The bot's public URL (sign-in links, redirect URI); default http://127.0.0.1:<bot port>. */
  publicBaseUrl?: string;
  startTimeoutMs?: number;
}

export interface DemoStack {
  devtenant: DevTenantEndpoints;
  botUrl: string;
  playgroundUrl: string;
  logsDir: string;
  children: SupervisedChild[];
  /** Resolves when any child exits on its own (the demo is then broken). */
  firstExit: Promise<SupervisedChild>;
  stop(): Promise<void>;
}

function entry(relative: string): string[] {
  return COMPILED
    ? [join(REPO_ROOT, 'dist', `${relative}.js`)]
    : ['--import', 'tsx/esm', join(REPO_ROOT, `${relative}.ts`)];
}

function playgroundCli(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve('@microsoft/m365agentsplayground/package.json'), '..', 'cli.js');
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, NODE_OPTIONS: `--import=${PRELOAD}`, NODE_NO_WARNINGS: '1', ...extra };
}

async function waitReady(url: string, deadline: number, child: SupervisedChild): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (!child.running) throw child.failure(`exited before ${url} answered`);
    if (Date.now() > deadline) throw child.failure(`${url} did not answer in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const timeout = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeout;
  const left = () => Math.max(1, deadline - Date.now());
  const logsDir = join(options.stateDir, 'logs');
  const children: SupervisedChild[] = [];
  const stop = async () => {
    // Reverse order: the Playground first (it calls the bot), the devtenant last (the bot calls it).
    for (const child of [...children].reverse()) await child.stop();
  };
  try {
    const devtenant = new SupervisedChild({
      name: 'devtenant',
      command: process.execPath,
      args: [
        ...entry('devtenant/cli'),
        '--data-dir',
        join(options.stateDir, 'devtenant'),
        '--identity-port',
        String(options.ports.identity),
        '--graph-port',
        String(options.ports.graph),
      ],
      cwd: REPO_ROOT,
      env: childEnv({}),
      logFile: join(logsDir, 'devtenant.log'),
    });
    children.push(devtenant);
    await devtenant.waitForLine(/^tenant: /, left());
    const line = async (name: string) => (await devtenant.waitForLine(new RegExp(`^${name}: (\\S+)`), 1))[1];
    // The reports app's certificate, as an admin would upload it in Entra and give the bot its key (scheduled reports).
    const reportsCertificate = async () => {
      const [, certificateFile, privateKeyFile] = await devtenant.waitForLine(
        /^reports certificate: (\S+) \(key (\S+)\)/,
        1,
      );
      return { certificateFile, privateKeyFile };
    };
    const endpoints: DevTenantEndpoints = {
      graph: (await line('graph')).replace(/\/v1\.0\/?$/, ''),
      identity: await line('identity'),
      authority: await line('authority'),
      caFile: await line('ca'),
      reportsCertificate: await reportsCertificate(),
    };

    const botPublicUrl = options.publicBaseUrl ?? `http://127.0.0.1:${options.ports.bot}`;
    const bot = new SupervisedChild({
      name: 'bot',
      command: process.execPath,
      args: ['--disable-warning=DEP0111', ...entry('bot/index')],
      cwd: REPO_ROOT,
      env: childEnv(
        demoBotEnv({
          devtenant: endpoints,
          port: options.ports.bot,
          dataDir: join(options.stateDir, 'bot'),
          publicBaseUrl: botPublicUrl,
        }),
      ),
      logFile: join(logsDir, 'bot.log'),
    });
    children.push(bot);
    const listening = await bot.waitForLine(/"msg":"bot listening"/, left());
    const botUrl = new URL((JSON.parse(listening.input ?? '{}') as { url: string }).url).origin;
    await waitReady(`${botUrl}/readyz`, deadline, bot);

    const playground = new SupervisedChild({
      name: 'playground',
      command: process.execPath,
      args: [playgroundCli(), '--disable-telemetry', '-p', String(options.ports.playground)],
      cwd: join(options.stateDir),
      env: childEnv({
        ...PLAYGROUND_TELEMETRY_OFF,
        BOT_ENDPOINT: `${botUrl}/api/messages`,
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.playgroundConfigFile,
        M365_AGENTS_PLAYGROUND_LOGFILE: join(logsDir, 'playground-ui.log'),
      }),
      logFile: join(logsDir, 'playground.log'),
    });
    children.push(playground);
    const port = (await playground.waitForLine(/Listening on (\d+)/, left()))[1];
    const playgroundUrl = `http://127.0.0.1:${port}`;
    await waitReady(`${playgroundUrl}/_debug/ping`, deadline, playground);

    const firstExit = Promise.race(children.map((child) => child.exited.then(() => child)));
    return { devtenant: endpoints, botUrl, playgroundUrl, logsDir, children, firstExit, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
