import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { z } from 'zod';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { CommandRegistry, inArea } from '../../bot/commands/registry.js';
import { defineCommand, type AnyCommand } from '../../bot/commands/types.js';
import { driftedFiles, generatedFiles, TEAMS_MANIFEST_PATH } from '../../scripts/app-package/generated-files.js';
import { MANIFEST_VERSION, MAX_MENU_COMMANDS, MENU, menuCommands } from '../../scripts/app-package/teams-manifest.js';

const ROOT = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const SCHEMAS = join(require.resolve('@microsoft/app-manifest'), '..', 'json-schemas', 'teams');

/** What the Agents Toolkit substitutes at provision time (env/.env.dev + provision outputs). */
const SAMPLE_ENV: Record<string, string> = {
  TEAMS_APP_ID: '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  BOT_ID: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  BOT_DOMAIN: 'contoso-admin-bot.azurewebsites.net',
  APP_NAME_SUFFIX: '',
  APP_DEVELOPER_NAME: 'Contoso IT',
  APP_WEBSITE_URL: 'https://contoso.example/admin-bot',
  APP_PRIVACY_URL: 'https://contoso.example/admin-bot/privacy',
  APP_TERMS_URL: 'https://contoso.example/admin-bot/terms',
};

function resolvePlaceholders(text: string): string {
  return text.replace(/\$\{\{([A-Z0-9_]+)\}\}/g, (_, name: string) => {
    assert.ok(name in SAMPLE_ENV, `placeholder ${name} has no value in the sample environment`);
    return SAMPLE_ENV[name];
  });
}

function schema(version: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SCHEMAS, `v${version}`, 'MicrosoftTeams.schema.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

async function schemaErrors(manifest: unknown): Promise<string[]> {
  // Passing the schema keeps the validator offline (it would otherwise resolve $schema itself).
  return AppManifestUtils.validateAgainstSchema(manifest as never, schema(MANIFEST_VERSION) as never);
}

const committed = () => readFileSync(join(ROOT, TEAMS_MANIFEST_PATH), 'utf8');

describe('Teams app package (appPackage/)', () => {
  let registry: CommandRegistry;
  before(async () => {
    registry = await CommandRegistry.discover();
  });

  it('is exactly what the generators make from the command registry and the seed (run `npm run app-package`)', async () => {
    assert.deepEqual(driftedFiles(ROOT, await generatedFiles(registry)), []);
  });

  it('validates against the official Teams schema of its manifestVersion, shipped in @microsoft/app-manifest', async () => {
    const manifest = JSON.parse(resolvePlaceholders(committed())) as Record<string, unknown>;
    assert.equal(
      manifest.$schema,
      `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    );
    assert.deepEqual(await schemaErrors(manifest), []);
  });

  it('uses the newest released schema in that package', () => {
    const released = (n: string) => /^v\d+\.\d+$/.test(n);
    const versions = readdirSync(SCHEMAS)
      .filter(released)
      .map((v) => v.slice(1).split('.').map(Number));
    const newest = versions.sort((a, b) => b[0] - a[0] || b[1] - a[1])[0].join('.');
    assert.equal(MANIFEST_VERSION, newest);
  });

  it('the validator does catch a broken manifest (the check can fail)', async () => {
    const manifest = JSON.parse(resolvePlaceholders(committed())) as { bots: { botId: string }[] };
    manifest.bots[0].botId = 'not-a-guid';
    assert.ok((await schemaErrors(manifest)).length > 0);
  });

  it('declares SSO for the bot app and the domains of sign-in', () => {
    const manifest = JSON.parse(committed()) as {
      webApplicationInfo: { id: string; resource: string };
      validDomains: string[];
      bots: { botId: string }[];
    };
    assert.deepEqual(manifest.webApplicationInfo, { id: '${{BOT_ID}}', resource: 'api://botid-${{BOT_ID}}' });
    assert.equal(manifest.bots[0].botId, '${{BOT_ID}}');
    assert.ok(manifest.validDomains.includes('token.botframework.com'));
    assert.ok(manifest.validDomains.includes('${{BOT_DOMAIN}}'));
  });

  it('has one command menu per scope kind: help first, known commands only, within the menu limits', () => {
    const manifest = JSON.parse(committed()) as {
      bots: {
        scopes: string[];
        commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[];
      }[];
    };
    const lists = manifest.bots[0].commandLists;
    assert.deepEqual(lists.flatMap((l) => l.scopes).sort(), [...manifest.bots[0].scopes].sort());
    for (const list of lists) {
      assert.equal(list.commands[0].title, 'help');
      assert.ok(list.commands.length <= MAX_MENU_COMMANDS);
      for (const c of list.commands) {
        assert.ok(registry.find(c.title), `${c.title} is not a command`);
        assert.ok(c.title.length <= 32 && c.description.length <= 128, c.title);
      }
    }
    const shared = lists.find((l) => l.scopes.includes('groupChat'))!.commands.map((c) => registry.find(c.title)!);
    assert.deepEqual(
      shared.filter((c) => c.personalOnly).map((c) => c.name),
      [],
      'a group menu offers no command that only runs in 1:1',
    );
  });

  it('describes menu commands from the registry, and fails on a name the registry lacks (no drift possible)', () => {
    const fake = (name: string, summary: string): AnyCommand =>
      inArea(
        'users',
        defineCommand({
          name,
          summary,
          usage: `${name} <upn>`,
          examples: [name],
          args: { positional: [], schema: z.object({}) },
          tier: 'read',
          scopes: ['User.Read.All'],
          run: async () => ({ card: 'notice', data: {}, text: '' }),
        }),
      );
    assert.deepEqual(menuCommands([fake('user', 'Shows a user.')], ['user']), [
      { title: 'user', description: 'Shows a user. Usage: user <upn>' },
    ]);
    assert.throws(() => menuCommands([fake('user', 'Shows a user.')], ['user', 'mailbox']), /"mailbox".*not a command/);
    assert.throws(() => menuCommands([], Array(11).fill('user')), /at most 10/);
    for (const names of Object.values(MENU)) assert.doesNotThrow(() => menuCommands(registry.all(), names));
  });

  it('ships icons of the sizes Teams requires (192×192 colour, 32×32 outline)', () => {
    const size = (file: string) => {
      const png = readFileSync(join(ROOT, 'appPackage', file));
      assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
      return [png.readUInt32BE(16), png.readUInt32BE(20)];
    };
    assert.deepEqual(size('color.png'), [192, 192]);
    assert.deepEqual(size('outline.png'), [32, 32]);
  });

  it('has an outline icon that is white on transparent only', () => {
    const png = readFileSync(join(ROOT, 'appPackage', 'outline.png'));
    const idatAt = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idatAt + 4, idatAt + 4 + png.readUInt32BE(idatAt - 4)));
    const kinds = new Set<string>();
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const at = y * (32 * 4 + 1) + 1 + x * 4;
        const [r, g, b, a] = raw.subarray(at, at + 4);
        kinds.add(a === 0 ? 'transparent' : r === 255 && g === 255 && b === 255 && a === 255 ? 'white' : 'other');
      }
    }
    assert.deepEqual([...kinds].sort(), ['transparent', 'white']);
  });
});
