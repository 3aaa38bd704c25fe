import assert from 'node:assert/strict';
import { startHarness, json, type Harness } from './helpers.js';
import { createTenant, type SeedTeam } from '../../../devtenant/seed/index.js';
import {
  OPERATION_TIMING,
  registerCompletion,
  settle,
  startOperation,
} from '../../../devtenant/graph/routes/teams-operations.js';

const ORDER = ['notStarted', 'inProgress', 'succeeded'];

/** Polls `url` until the operation succeeds (bounded); returns every status seen, in order. */
async function pollStatuses(h: Harness, url: string, token: string): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 40; i++) {
    const res = await h.get(url, token);
    assert.equal(res.status, 200);
    const status = String((await json(res)).status);
    if (seen.at(-1) !== status) seen.push(status);
    if (status === 'succeeded' || status === 'failed') return seen;
    await new Promise((r) => setTimeout(r, 40));
  }
  assert.fail(`operation did not finish: ${seen.join(' → ')}`);
}

describe('devtenant graph: long-running operation engine (fake clock)', () => {
  it('moves notStarted → inProgress → succeeded with the tenant clock and applies the change only at completion', () => {
    let now = Date.parse('2026-11-26T10:00:00.000Z');
    const tenant = createTenant({ size: 'demo', now: () => new Date(now) });
    let applied = 0;
    registerCompletion('testKind', () => {
      applied++;
    });
    const op = startOperation(tenant, {
      kind: 'testKind',
      targetResourceId: 'x',
      targetResourceLocation: null,
      details: {},
    });
    assert.equal(settle(tenant, op).status, 'notStarted');
    now += OPERATION_TIMING.startAfterMs;
    assert.equal(settle(tenant, op).status, 'inProgress');
    assert.equal(applied, 0);
    now += OPERATION_TIMING.completeAfterMs;
    assert.equal(settle(tenant, op).status, 'succeeded');
    assert.equal(settle(tenant, op).status, 'succeeded');
    assert.equal(applied, 1, 'the change is applied exactly once');
  });
});

describe('devtenant graph: POST /teams/{id}/archive and /unarchive', () => {
  let h: Harness;
  let teamsAdmin: string;
  const team = (name: string): SeedTeam => h.tenant.teams.find((t) => t.displayName === name)!;
  before(async () => {
    h = await startHarness();
    teamsAdmin = await h.userToken('teamsadmin', ['Team.ReadBasic.All', 'TeamSettings.ReadWrite.All']);
  });
  after(() => h.close());

  it("archives: 202 + Location /teams('{id}')/operations('{opId}'), pollable teamsAsyncOperation, then isArchived", async () => {
    const marketing = team('Marketing Hub');
    const res = await h.send('POST', `/v1.0/teams/${marketing.id}/archive`, teamsAdmin, {
      shouldSetSpoSiteReadOnlyForMembers: true,
    });
    assert.equal(res.status, 202);
    assert.equal(await res.text(), '');
    const location = res.headers.get('location')!;
    assert.match(location, new RegExp(`^/teams\\('${marketing.id}'\\)/operations\\('[0-9a-f-]{36}'\\)$`));
    const statuses = await pollStatuses(h, `/v1.0${location}`, teamsAdmin);
    assert.equal(statuses.at(-1), 'succeeded');
    assert.deepEqual(
      statuses,
      ORDER.filter((s) => statuses.includes(s)),
      `statuses go forward only: ${statuses.join(' → ')}`,
    );
    const op = await json(await h.get(`/v1.0${location}`, teamsAdmin));
    assert.equal(op.operationType, 'archiveTeam');
    assert.equal(op.targetResourceId, marketing.id);
    assert.equal(
      (await json(await h.get(`/v1.0/teams/${marketing.id}?$select=isArchived`, teamsAdmin))).isArchived,
      true,
    );
    const audit = h.tenant.directoryAudits.find(
      (a) => a.activityDisplayName === 'Archive team' && a.targetResources[0]?.id === marketing.id,
    );
    assert.ok(audit, 'archive is audited');
  });

  it('unarchives: 202, and the team is active again once the operation succeeds', async () => {
    const legal = team('Legal Review');
    assert.equal(legal.isArchived, true);
    const res = await h.send('POST', `/v1.0/teams/${legal.id}/unarchive`, teamsAdmin);
    assert.equal(res.status, 202);
    const statuses = await pollStatuses(h, `/v1.0${res.headers.get('location')!}`, teamsAdmin);
    assert.equal(statuses.at(-1), 'succeeded');
    assert.equal((await json(await h.get(`/v1.0/teams/${legal.id}`, teamsAdmin))).isArchived, false);
  });

  it('refuses a team without an owner (400), a bad body (400), app-only callers (403) and unknown teams (404)', async () => {
    const ownerless = team('Leadership');
    const r1 = await h.send('POST', `/v1.0/teams/${ownerless.id}/archive`, teamsAdmin, {});
    assert.equal(r1.status, 400);
    assert.equal((await json(r1)).error?.code, 'BadRequest');
    const phoenix = team('Project Phoenix');
    assert.equal(
      (
        await h.send('POST', `/v1.0/teams/${phoenix.id}/archive`, teamsAdmin, {
          shouldSetSpoSiteReadOnlyForMembers: 'yes',
        })
      ).status,
      400,
    );
    assert.equal(
      (await h.send('POST', `/v1.0/teams/${phoenix.id}/archive`, teamsAdmin, { readOnly: true })).status,
      400,
    );
    const app = await h.appToken(['TeamSettings.ReadWrite.All', 'Team.ReadBasic.All']);
    assert.equal((await h.send('POST', `/v1.0/teams/${phoenix.id}/archive`, app, {})).status, 403);
    assert.equal(
      (await h.send('POST', '/v1.0/teams/00000000-0000-4000-8000-00000000dead/archive', teamsAdmin, {})).status,
      404,
    );
    assert.equal(phoenix.isArchived, false);
  });

  it('needs TeamSettings.ReadWrite.All and a Teams Administrator (or Global Administrator) role', async () => {
    const phoenix = team('Project Phoenix');
    const readOnly = await h.userToken('teamsadmin', ['Team.ReadBasic.All']);
    assert.equal((await h.send('POST', `/v1.0/teams/${phoenix.id}/archive`, readOnly, {})).status, 403);
    const userAdmin = await h.userToken('useradmin', ['TeamSettings.ReadWrite.All']);
    assert.equal((await h.send('POST', `/v1.0/teams/${phoenix.id}/archive`, userAdmin, {})).status, 403);
  });

  it('answers 404 for an operation id that belongs to no operation of the team', async () => {
    const phoenix = team('Project Phoenix');
    const res = await h.get(`/v1.0/teams/${phoenix.id}/operations/00000000-0000-4000-8000-000000000000`, teamsAdmin);
    assert.equal(res.status, 404);
  });
});
