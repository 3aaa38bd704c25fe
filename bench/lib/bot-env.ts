import { join } from 'node:path';
import type { DevTenant } from '../../devtenant/index.js';
import { APP_IDS, BOT_CLIENT_SECRET } from '../../devtenant/seed/index.js';
import { PUBLIC_BASE_URL } from '../../test/identity/harness.js';

/** The environment of a bot child process wired to an in-process devtenant (identity, Graph, trust), in `stateDir`. */
export function botEnv(dev: DevTenant, stateDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: join(stateDir, 'bot'),
    LOG_LEVEL: 'info',
    IDENTITY_AUTHORITY: dev.identity.authority,
    IDENTITY_CLIENT_ID: APP_IDS.bot,
    IDENTITY_CLIENT_SECRET: BOT_CLIENT_SECRET,
    EXTRA_CA_FILE: dev.identity.caCertPath,
    PUBLIC_BASE_URL,
    GRAPH_BASE_URL: dev.graph.url,
    TOKEN_CACHE_KEY: Buffer.alloc(32, 7).toString('base64'),
    TEAMS_SSO: 'false',
    ...extra,
  };
}
