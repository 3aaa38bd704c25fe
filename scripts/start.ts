// `npm start` (after the build): the whole product on one machine with no tenant — devtenant, bot and the
// Microsoft 365 Agents Playground — all on 127.0.0.1, telemetry off. Ctrl-C stops every child.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { banner } from './demo/banner.js';
import { ChildStartError } from './demo/child-process.js';
import { PLAYGROUND_CONFIG_FILE, renderPlaygroundConfig } from './demo/playground-config.js';
import { REPO_ROOT, startDemoStack, type DemoStack } from './demo/stack.js';

/** Fixed so that bookmarks, the registered redirect URI (http://127.0.0.1:3978/auth/callback) and docs agree. */
const PORTS = { identity: 8443, graph: 8080, bot: 3978, playground: 56150 };

const started = Date.now();
const stateDir = join(REPO_ROOT, '.data', 'demo');
mkdirSync(stateDir, { recursive: true });
// The committed .m365agentsplayground.yml is the same file (a test keeps them equal); writing it from the seed
// here means a stale checkout can never point the Playground at users the devtenant does not have.
const playgroundConfigFile = join(stateDir, PLAYGROUND_CONFIG_FILE);
writeFileSync(playgroundConfigFile, renderPlaygroundConfig());

let stack: DemoStack | undefined;
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await stack?.stop();
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

console.log('Starting the devtenant, the bot and the Agents Playground…');
try {
  stack = await startDemoStack({ stateDir, ports: PORTS, playgroundConfigFile });
} catch (err) {
  if (err instanceof ChildStartError) {
    console.error(`\nCould not start the demo: ${err.message}\n--- last lines of its log ---\n${err.logTail}`);
    if (/EADDRINUSE/.test(err.logTail))
      console.error('A port is taken: is another `npm start` (or `npm run devtenant`) running?');
  } else {
    console.error(`\nCould not start the demo: ${err instanceof Error ? err.message : String(err)}`);
  }
  await shutdown(1);
}
console.log(await banner(stack!, REPO_ROOT, Date.now() - started));
const crashed = await stack!.firstExit;
// Ctrl-C reaches the children too (same process group): give our own SIGINT handler the chance to run first.
await new Promise((r) => setTimeout(r, 500));
if (!stopping) {
  console.error(
    `\n${crashed.spec.name} stopped unexpectedly; stopping the rest.\n--- last lines of its log ` +
      `---\n${crashed.logTail()}`,
  );
  await shutdown(1);
}
