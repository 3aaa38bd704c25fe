import assert from 'node:assert/strict';
import { startHarness, json, type Harness } from './helpers.js';

describe('devtenant graph: /admin/serviceAnnouncement/healthOverviews', () => {
  let h: Harness;
  let reader: string;
  before(async () => {
    h = await startHarness();
    reader = await h.userToken('teamsadmin', ['ServiceHealth.Read.All']);
  });
  after(() => h.close());

  it('lists services without issues unless $expand=issues', async () => {
    const plain = await json(await h.get('/v1.0/admin/serviceAnnouncement/healthOverviews', reader));
    const services = plain.value as { id: string; service: string; status: string; issues?: unknown }[];
    assert.ok(services.length >= 5);
    assert.ok(services.every((s) => s.issues === undefined));
    const expanded = await json(await h.get('/v1.0/admin/serviceAnnouncement/healthOverviews?$expand=issues', reader));
    const teams = (
      expanded.value as { id: string; status: string; issues: { id: string; isResolved: boolean }[] }[]
    ).find((s) => s.id === 'Microsoft Teams')!;
    assert.equal(teams.status, 'serviceDegradation');
    assert.ok(teams.issues.some((i) => !i.isResolved));
  });

  it('gets one service by a name with spaces (percent-encoded or in key parentheses); unknown → 404', async () => {
    const body = await json(
      await h.get('/v1.0/admin/serviceAnnouncement/healthOverviews/Microsoft%20Teams?$expand=issues', reader),
    );
    assert.equal(body.service, 'Microsoft Teams');
    assert.ok(Array.isArray(body.issues));
    const keyed = await h.get("/v1.0/admin/serviceAnnouncement/healthOverviews('Microsoft%20Teams')", reader);
    assert.equal(keyed.status, 200);
    const missing = await h.get('/v1.0/admin/serviceAnnouncement/healthOverviews/Microsoft%20Skype', reader);
    assert.equal(missing.status, 404);
    assert.equal((await json(missing)).error?.code, 'NotFound');
  });

  it('needs ServiceHealth.Read.All and an admin role; app-only works with the app role', async () => {
    const noScope = await h.userToken('teamsadmin', ['User.Read']);
    assert.equal((await h.get('/v1.0/admin/serviceAnnouncement/healthOverviews', noScope)).status, 403);
    const alice = await h.userToken('alice', ['ServiceHealth.Read.All']);
    assert.equal((await h.get('/v1.0/admin/serviceAnnouncement/healthOverviews', alice)).status, 403);
    const app = await h.appToken(['ServiceHealth.Read.All']);
    assert.equal((await h.get('/v1.0/admin/serviceAnnouncement/healthOverviews', app)).status, 200);
  });
});
