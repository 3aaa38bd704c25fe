import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Keys whose values are secrets wherever they appear (one or two levels deep). pino replaces them before
 * serialisation, so a careless `log.info({ token })` still cannot leak. The turn log never carries message text
 * or command arguments (they can hold a new password); the audit log stores redacted arguments instead.
 */
const SECRET_KEYS = [
  'authorization',
  'token',
  'accessToken',
  'access_token',
  'idToken',
  'id_token',
  'refreshToken',
  'refresh_token',
  'assertion',
  'code',
  'password',
  'newPassword',
  'secret',
  'clientSecret',
  'client_secret',
  'totp',
  'otp',
  'temporaryAccessPass',
  'cookie',
];

const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(options: { level?: string; destination?: DestinationStream; name?: string } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'teams-admin-bot',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
