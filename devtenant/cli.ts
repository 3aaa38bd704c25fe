// `npm run devtenant` — starts the local Graph + Entra ID stand-ins with a seeded tenant, or mints a token.
//   npm run devtenant [-- --size large --data-dir .devtenant --identity-port 8443 --graph-port 8080]
//                     [--latency 100 | --latency 60,400 | --latency off] [--throttle on|off]
// Graph answers with a modest latency by default (p50 40 ms, p99 150 ms; $DEVTENANT_GRAPH_LATENCY overrides it, the
// e2e tests set it to off) so the demo feels like the real service;
// throttling follows Microsoft's published limits by default on `large` and is off on `demo`.
//   npm run --silent devtenant -- token --user <upn> --scope "<scopes>" [--amr pwd,mfa] [--acrs c1] [--audience <aud>]
//   npm run --silent devtenant -- token --app <appId> --role "<roles>"
// The token command prints only the access token, signed with the identity provider's key under --data-dir for
// the issuer of --identity-port, i.e. the token a running `npm run devtenant` with the same options accepts.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { TenantSize } from './seed/index.js';
import { parseLatency, type LatencyOptions } from './graph/latency.js';

const DEFAULTS = { dataDir: '.devtenant', identityPort: 8443, graphPort: 8080 } as const;
/** A modest Graph latency for the demo (p50 40 ms, p99 150 ms); $DEVTENANT_GRAPH_LATENCY or --latency replace it. */
const DEFAULT_LATENCY = '40,150';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    size: { type: 'string', default: 'demo' },
    'data-dir': { type: 'string', default: DEFAULTS.dataDir },
    'identity-port': { type: 'string', default: String(DEFAULTS.identityPort) },
    'graph-port': { type: 'string', default: String(DEFAULTS.graphPort) },
    seed: { type: 'string' },
    latency: { type: 'string' },
    throttle: { type: 'string' },
    user: { type: 'string' },
    scope: { type: 'string' },
    amr: { type: 'string' },
    acrs: { type: 'string' },
    audience: { type: 'string' },
    app: { type: 'string' },
    role: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function fail(message: string): never {
  console.error(`devtenant: ${message}`);
  process.exit(2);
}

function port(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`--${name} must be a port number`);
  return n;
}

const size = values.size as TenantSize;
if (size !== 'demo' && size !== 'large') fail('--size must be demo or large');
const dataDir = resolve(values['data-dir']!);
const identityPort = port(values['identity-port']!, 'identity-port');
const graphPort = port(values['graph-port']!, 'graph-port');
const seed = values.seed === undefined ? undefined : Number(values.seed);
let latency: LatencyOptions | null = null;
try {
  latency = parseLatency(values.latency ?? process.env.DEVTENANT_GRAPH_LATENCY ?? DEFAULT_LATENCY);
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
if (values.throttle !== undefined && values.throttle !== 'on' && values.throttle !== 'off')
  fail('--throttle must be on or off');
const throttle = (values.throttle ?? (size === 'large' ? 'on' : 'off')) === 'on';
const list = (v: string | undefined) => (v ?? '').split(/[\s,]+/).filter(Boolean);

async function token(): Promise<void> {
  const { createTenant } = await import('./seed/index.js');
  const { createTokenIssuer } = await import('./identity/token-issuer.js');
  const tenant = createTenant({ size, seed });
  const issuer = createTokenIssuer(tenant, dataDir, identityPort);
  if (values.app) {
    if (!values.role) fail('token --app needs --role "<roles>"');
    process.stdout.write(
      `${await issuer.issueToken({ app: values.app, roles: list(values.role), audience: values.audience })}\n`,
    );
    return;
  }
  if (!values.user || !values.scope)
    fail('token needs --user <upn> --scope "<scopes>" (or --app <appId> --role "<roles>")');
  process.stdout.write(
    `${await issuer.issueToken({
      user: values.user,
      scopes: list(values.scope),
      amr: list(values.amr),
      acrs: list(values.acrs),
      audience: values.audience,
    })}\n`,
  );
}

async function serve(): Promise<void> {
  const { startDevTenant } = await import('./index.js');
  const devtenant = await startDevTenant({
    size,
    dataDir,
    graphPort,
    identityPort,
    seed,
    graphLatency: latency,
    graphThrottle: throttle ? 'documented' : false,
  });
  console.log(`graph: ${devtenant.graph.v1}`);
  console.log(`identity: ${devtenant.identity.url}`);
  console.log(`authority: ${devtenant.identity.authority}`);
  console.log(`issuer: ${devtenant.identity.issuer}`);
  console.log(`ca: ${devtenant.identity.caCertPath}`);
  console.log(
    `reports certificate: ${devtenant.identity.reportsCertificate.certificatePath} (key ` +
      `${devtenant.identity.reportsCertificate.privateKeyPath})`,
  );
  const latencyText = !latency
    ? 'off'
    : 'fixedMs' in latency
      ? `${latency.fixedMs} ms`
      : `p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms`;
  console.log(`graph latency: ${latencyText}; throttling: ${throttle ? "Microsoft's documented limits" : 'off'}`);
  console.log(`tenant: ${devtenant.tenant.displayName} ${devtenant.tenant.id} (${size}); Ctrl-C to stop`);
  const stop = () => {
    devtenant.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (values.help) {
  console.log(
    'usage: devtenant [--size demo|large] [--data-dir DIR] [--identity-port N] [--graph-port N]\n' +
      '       devtenant token --user <upn> --scope "<scopes>" [--amr pwd,mfa] [--acrs c1] [--audience <aud>]\n' +
      '       devtenant token --app <appId> --role "<roles>" [--audience <aud>]',
  );
} else if (positionals[0] === 'token') {
  token().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
} else if (positionals.length === 0) {
  serve().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
} else {
  fail(`unknown command ${positionals[0]}`);
}
