import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../bot/log.js';

/** Every bot log line of the test run also lands here, so a final test can scan the whole run for secrets. */
export const TEST_LOG_DIR = join(process.cwd(), 'test-results', 'logs');
const RUN_LOG = join(TEST_LOG_DIR, `run-${process.pid}.jsonl`);

export interface CapturedLog {
  log: Logger;
  lines: Record<string, unknown>[];
}

/** Log output of bot child processes joins the same scan (their lines are JSON too; anything else is kept as is). */
export function appendToRunLog(text: string): void {
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  appendFileSync(RUN_LOG, text.endsWith('\n') ? text : `${text}\n`);
}

export function captureLogger(level = 'debug'): CapturedLog {
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = chunk.toString('utf8');
      appendFileSync(RUN_LOG, text);
      for (const line of text.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { log: createLogger({ level, destination }), lines };
}
