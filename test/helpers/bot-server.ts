import { startBot, type RunningBot } from '../../bot/compose.js';
import { loadConfig } from '../../bot/config.js';
import { captureLogger, type CapturedLog } from './log-capture.js';

export interface TestBot extends RunningBot {
  logs: CapturedLog;
}

/** Starts the real bot composition on an ephemeral loopback port with a throwaway in-memory store. */
export async function startTestBot(env: Record<string, string> = {}): Promise<TestBot> {
  const config = loadConfig({ PORT: '0', DATA_DIR: ':memory:', LOG_LEVEL: 'debug', ...env });
  const logs = captureLogger();
  const running = await startBot(config, logs.log);
  return { ...running, logs };
}

export async function postActivity(
  botUrl: string,
  activity: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
}
