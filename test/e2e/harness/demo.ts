// The demo stack of `npm start` (scripts/demo/stack.ts), started for a test: same children, same preload, same
// bot environment, but free ports and a throw-away state directory. The bot's *public* URL stays the one the
// devtenant has registered as redirect URI (http://127.0.0.1:3978); the test browser maps it to the real port.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAYGROUND_CONFIG_FILE, renderPlaygroundConfig } from '../../../scripts/demo/playground-config.js';
import { startDemoStack, type DemoStack } from '../../../scripts/demo/stack.js';
import { freePort } from '../../helpers/ports.js';

export const REGISTERED_BOT_URL = 'http://127.0.0.1:3978';

export interface TestDemo {
  stack: DemoStack;
  stateDir: string;
  /** Public URL the bot puts in sign-in links → where it really listens. */
  publicBotUrl: string;
  close(): Promise<void>;
}

export async function startTestDemo(): Promise<TestDemo> {
  // The demo's devtenant answers with a modest Graph latency; tests keep it off unless they ask (devtenant/cli.ts).
  process.env.DEVTENANT_GRAPH_LATENCY ??= 'off';
  const stateDir = mkdtempSync(join(tmpdir(), 'admin-bot-e2e-'));
  const playgroundConfigFile = join(stateDir, PLAYGROUND_CONFIG_FILE);
  writeFileSync(playgroundConfigFile, renderPlaygroundConfig());
  try {
    const stack = await startDemoStack({
      stateDir,
      ports: { identity: 0, graph: 0, bot: await freePort(), playground: 0 },
      playgroundConfigFile,
      publicBaseUrl: REGISTERED_BOT_URL,
      startTimeoutMs: 90_000,
    });
    return {
      stack,
      stateDir,
      publicBotUrl: REGISTERED_BOT_URL,
      close: async () => {
        await stack.stop();
        rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
}
