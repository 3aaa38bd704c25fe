import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, loadConfig } from '../../bot/config.js';
import { identitySettings } from '../../bot/identity/config.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** `uses:` of each step of a teamsapp.yml stage, in order. */
function steps(stage: string): string[] {
  const yml = read('teamsapp.yml');
  const start = yml.indexOf(`\n${stage}:\n`);
  assert.ok(start >= 0, `teamsapp.yml has no ${stage} stage`);
  const body = yml.slice(start + stage.length + 3).split(/\n(?=\S)/)[0];
  return [...body.matchAll(/^ {2}- uses: (\S+)/gm)].map((m) => m[1]);
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\$\{\{([A-Za-z0-9_]+)\}\}/g)].map((m) => m[1]);
}

/** The web app settings block of infra/azure.bicep, as NAME → bicep expression. */
function appSettings(): Map<string, string> {
  const bicep = read('infra/azure.bicep');
  const block = /name: 'appsettings'\s+properties: \{([\s\S]*?)\n {2}\}/.exec(bicep)?.[1] ?? '';
  return new Map([...block.matchAll(/^ {4}([A-Z][A-Z0-9_]+): (.+)$/gm)].map((m) => [m[1], m[2]]));
}

describe('Agents Toolkit lifecycle (teamsapp.yml, env/, infra/)', () => {
  it('provisions Entra app → Teams app → Azure → Entra update → package, validate, update; deploys to App Service', () => {
    assert.deepEqual(steps('provision'), [
      'script',
      'aadApp/create',
      'teamsApp/create',
      'arm/deploy',
      'aadApp/update',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    assert.deepEqual(steps('deploy'), ['cli/runNpmCommand', 'cli/runNpmCommand', 'azureAppService/zipDeploy']);
    assert.match(read('teamsapp.yml'), /manifestPath: \.\/infra\/entra\/aad\.manifest\.json/);
  });

  it('defines every ${{VARIABLE}} it uses: in env/.env.dev or as the output of an earlier step', () => {
    const yml = read('teamsapp.yml');
    const defined = new Set([
      ...[...read('env/.env.dev').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]),
      ...[...yml.matchAll(/^ {6}\w+: ([A-Z][A-Z0-9_]+)\s*$/gm)].map((m) => m[1]), // writeToEnvironmentFile
      ...[...yml.matchAll(/::set-teamsfx-env ([A-Z][A-Z0-9_]+)=/g)].map((m) => m[1]), // script outputs
      ...[...read('infra/azure.bicep').matchAll(/^output ([A-Z][A-Z0-9_]+) /gm)].map((m) => m[1]), // arm/deploy outputs
      'AAD_APP_ACCESS_AS_USER_PERMISSION_ID', // written by aadApp/update
    ]);
    const used = [
      'teamsapp.yml',
      'appPackage/manifest.json',
      'infra/entra/aad.manifest.json',
      'infra/azure.parameters.json',
    ].flatMap((file) => placeholders(read(file)).map((name) => ({ file, name })));
    assert.ok(used.length > 10);
    assert.deepEqual(
      used.filter((u) => !defined.has(u.name)),
      [],
    );
  });

  it('passes every parameter the Bicep template declares, and no other', () => {
    const declared = [...read('infra/azure.bicep').matchAll(/^param (\w+) \w+( = .+)?$/gm)];
    const required = declared.filter((m) => !m[2]).map((m) => m[1]);
    const passed = Object.keys((JSON.parse(read('infra/azure.parameters.json')) as { parameters: object }).parameters);
    for (const name of required) assert.ok(passed.includes(name), `parameter ${name} is not passed`);
    for (const name of passed)
      assert.ok(
        declared.some((m) => m[1] === name),
        `parameter ${name} is not declared`,
      );
  });

  it('configures the bot on App Service only with variables the bot knows, and they make a valid identity config', () => {
    const settings = appSettings();
    const known = new Set(Object.keys(configSchema.innerType().shape));
    const unknown = [...settings.keys()].filter((k) => !known.has(k) && !k.startsWith('SCM_'));
    assert.deepEqual(unknown, []);
    // The values Azure will resolve, as a real tenant would have them.
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const sample: Record<string, string> = {
      MICROSOFT_APP_ID: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
      MICROSOFT_APP_PASSWORD: 'placeholder-secret',
      MICROSOFT_APP_TENANT_ID: tenant,
      IDENTITY_AUTHORITY: `https://login.microsoftonline.com/${tenant}/`,
      PUBLIC_BASE_URL: 'https://adminbot1a2b3c.azurewebsites.net',
      TOKEN_CACHE_KEY: Buffer.alloc(32, 7).toString('base64'),
      STEP_UP_AUTH_CONTEXT: 'c1',
    };
    const env = Object.fromEntries([...settings].map(([k, v]) => [k, sample[k] ?? v.replace(/^'|'$/g, '')]));
    env.PORT = '8080'; // set by App Service
    const config = loadConfig(env);
    assert.equal(config.MICROSOFT_APP_TYPE, 'SingleTenant');
    const identity = identitySettings(config);
    assert.ok(identity);
    assert.equal(identity.redirectUri, 'https://adminbot1a2b3c.azurewebsites.net/auth/callback');
    assert.equal(identity.ssoResource, 'api://botid-9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d');
  });

  it('never commits a secret to env/ (SECRET_* live in the git-ignored .env.dev.user)', () => {
    assert.doesNotMatch(read('env/.env.dev'), /^SECRET_/m);
  });
});
