import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandRegistry } from '../../bot/commands/registry.js';
import { ENTRA_MANIFEST_PATH } from '../../scripts/app-package/generated-files.js';
import { BASELINE_SCOPES, TEAMS_CLIENT_APP_IDS } from '../../scripts/app-package/entra-manifest.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface EntraManifest {
  appId: string;
  signInAudience: string;
  optionalClaims: { idToken: { name: string }[]; accessToken: { name: string }[] };
  requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
  oauth2Permissions: { id: string; value: string }[];
  preAuthorizedApplications: { appId: string; permissionIds: string[] }[];
  identifierUris: string[];
  replyUrlsWithType: { url: string; type: string }[];
}

const manifest = () => JSON.parse(readFileSync(join(ROOT, ENTRA_MANIFEST_PATH), 'utf8')) as EntraManifest;

describe('Entra app manifest (infra/entra/aad.manifest.json, applied by aadApp/update)', () => {
  it('asks for exactly the delegated Graph permissions the commands declare, plus sign-in basics', async () => {
    const registry = await CommandRegistry.discover();
    const declared = new Set(registry.all().flatMap((c) => c.scopes));
    const [graph] = manifest().requiredResourceAccess;
    assert.equal(graph.resourceAppId, 'Microsoft Graph');
    assert.ok(
      graph.resourceAccess.every((p) => p.type === 'Scope'),
      'delegated only: the bot acts as the signed-in admin',
    );
    const granted = graph.resourceAccess.map((p) => p.id);
    assert.deepEqual(new Set(granted), new Set([...BASELINE_SCOPES, ...declared]));
    assert.equal(granted.length, new Set(granted).size);
  });

  it('emits the claims the MFA policy reads, in ID and access tokens', () => {
    const { optionalClaims } = manifest();
    for (const tokenType of ['idToken', 'accessToken'] as const) {
      assert.deepEqual(optionalClaims[tokenType].map((c) => c.name).sort(), ['acrs', 'amr', 'auth_time', 'xms_cc']);
    }
  });

  it('exposes the Teams SSO scope on api://botid-<bot id>, pre-authorised for the Teams clients', () => {
    const m = manifest();
    assert.equal(m.appId, '${{BOT_ID}}');
    assert.deepEqual(m.identifierUris, ['api://botid-${{BOT_ID}}']);
    const scope = m.oauth2Permissions.find((p) => p.value === 'access_as_user');
    assert.ok(scope);
    assert.deepEqual(m.preAuthorizedApplications.map((a) => a.appId).sort(), [...TEAMS_CLIENT_APP_IDS].sort());
    assert.ok(
      m.preAuthorizedApplications.every((a) => a.permissionIds.length === 1 && a.permissionIds[0] === scope.id),
    );
  });

  it("is a single-tenant app whose only redirect URI is the bot's sign-in callback over https", () => {
    const m = manifest();
    assert.equal(m.signInAudience, 'AzureADMyOrg');
    assert.deepEqual(m.replyUrlsWithType, [{ url: 'https://${{BOT_DOMAIN}}/auth/callback', type: 'Web' }]);
  });
});
