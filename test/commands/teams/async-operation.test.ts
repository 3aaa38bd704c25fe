import assert from 'node:assert/strict';
import { operationPath, pollOperation } from '../../../bot/commands/_lib/async-operation.js';
import { GraphApi } from '../../../bot/graph/client.js';
import { loadTrustAnchors } from '../../../bot/net/trust.js';
import type { DevTenant } from '../../../devtenant/index.js';
import { DEMO, startTestDevTenant } from '../../helpers/devtenant.js';

describe('long-running Graph operations (polling)', () => {
  let dev: DevTenant;
  let graph: GraphApi;
  before(async () => {
    dev = await startTestDevTenant();
    const token = await dev.identity.issueToken({
      user: DEMO.teamsAdmin,
      scopes: ['Team.ReadBasic.All', 'TeamSettings.ReadWrite.All'],
      amr: ['pwd', 'mfa'],
      acrs: [],
    });
    graph = new GraphApi({
      baseUrl: dev.graph.url,
      accessToken: async () => token,
      trust: loadTrustAnchors(dev.identity.caCertPath),
    });
  });
  after(() => dev.close());

  it('follows a relative Location from the version root, and an absolute one only on our Graph host', () => {
    assert.equal(operationPath(graph, "/teams('t1')/operations('o1')"), "/teams('t1')/operations('o1')");
    assert.equal(operationPath(graph, "/v1.0/teams('t1')/operations('o1')"), "/teams('t1')/operations('o1')");
    assert.equal(
      operationPath(graph, `${dev.graph.url}/v1.0/admin/teams/telephoneNumberManagement/operations/o2`),
      '/admin/teams/telephoneNumberManagement/operations/o2',
    );
    assert.throws(() => operationPath(graph, 'https://attacker.example/v1.0/teams/x'), /another host/);
  });

  it('reports a failed progress check as unchecked (with Graph code and request-id), not as a failed change', async () => {
    const phoenix = dev.tenant.teams.find((t) => t.displayName === 'Project Phoenix')!;
    dev.graph.clearLog();
    const state = await pollOperation(
      graph,
      `/teams('${phoenix.id}')/operations('00000000-0000-4000-8000-000000000000')`,
      [0, 0, 0],
    );
    assert.equal(state.finished, false);
    assert.equal(state.polls, 1, 'stops at the first failed check');
    assert.match(state.checkFailed ?? '', new RegExp(`^NotFound, request-id ${dev.graph.requestLog[0].requestId}$`));
  });

  it('stops polling as soon as the operation reaches a final state', async () => {
    const phoenix = dev.tenant.teams.find((t) => t.displayName === 'Project Phoenix')!;
    const accepted = await graph.post<undefined>(`/teams/${phoenix.id}/archive`, {
      shouldSetSpoSiteReadOnlyForMembers: false,
    });
    const state = await pollOperation(graph, accepted.headers.get('location')!, [400, 400, 400, 400]);
    assert.equal(state.status, 'succeeded');
    assert.equal(state.polls, 1);
  });
});
