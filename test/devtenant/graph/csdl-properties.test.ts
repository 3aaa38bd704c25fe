// Every property Microsoft's v1.0 CSDL declares for a served entity type: $select accepts it (null / [] when the
// stand-in keeps no value, as Graph sends unset ones), and PATCH accepts the documented writable ones and refuses the
// read-only ones as Graph does. Prints the share per type; the target is 100 %.
import assert from 'node:assert/strict';
import { loadGraphCsdl } from '../../../devtenant/graph/csdl/index.js';
import { servedTypes } from '../../../devtenant/graph/csdl/generate-served-types.js';
import { CSDL_SERVED } from '../../../devtenant/graph/model/csdl-served.js';
import { GROUP_WRITABLE, USER_WRITABLE } from '../../../devtenant/graph/model/writable.js';
import { ADMIN_SCOPES, json, startHarness, type Harness } from './helpers.js';

const SCOPES = [
  ...ADMIN_SCOPES,
  'Directory.ReadWrite.All',
  'Team.ReadBasic.All',
  'ServiceHealth.Read.All',
  'LicenseAssignment.Read.All',
];

describe('devtenant Graph: CSDL-declared properties ($select, PATCH)', function () {
  this.timeout(60_000);
  let h: Harness;
  let token: string;
  const shares: Record<string, string>[] = [];

  before(async () => {
    h = await startHarness();
    token = await h.userToken('admin', SCOPES);
  });
  after(async () => {
    console.table(shares);
    await h.close();
  });

  it('the generated property table matches the CSDL (regenerate with devtenant/graph/csdl/generate-served-types.ts)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(CSDL_SERVED)), servedTypes(loadGraphCsdl()));
  });

  /**
   * Entity type → a URL serving it (collections: the first item is checked). Not here: directoryAudit and
   * userRegistrationDetails, whose lists Graph documents without $select (the stand-in answers 400 as Graph).
   */
  const served = (): Record<string, string> => {
    const user = h.tenant.users.find(
      (u) => u.userType === 'Member' && h.tenant.activeRoleTemplateIds(u.id).length === 0,
    )!;
    const group = h.tenant.groups.find((g) => g.memberIds.size > 0)!;
    return {
      'microsoft.graph.user': `/v1.0/users/${user.id}`,
      'microsoft.graph.group': `/v1.0/groups/${group.id}`,
      'microsoft.graph.subscribedSku': '/v1.0/subscribedSkus',
      'microsoft.graph.signIn': '/v1.0/auditLogs/signIns',
      'microsoft.graph.team': `/v1.0/teams/${h.tenant.teams[0]!.id}`,
      'microsoft.graph.unifiedRoleDefinition': '/v1.0/roleManagement/directory/roleDefinitions',
      'microsoft.graph.directoryRole': '/v1.0/directoryRoles',
      'microsoft.graph.serviceHealth': '/v1.0/admin/serviceAnnouncement/healthOverviews',
      'microsoft.graph.licenseDetails': `/v1.0/users/${user.id}/licenseDetails`,
    };
  };

  it('$select accepts every declared property of each served type and returns it (null or [] when unset)', async () => {
    const failures: string[] = [];
    for (const [type, url] of Object.entries(served())) {
      const props = Object.keys(CSDL_SERVED[type]!.props);
      let accepted = 0;
      for (const prop of props) {
        const res = await h.get(`${url}${url.includes('?') ? '&' : '?'}$select=${prop}`, token);
        const body = await json(res);
        const entity = Array.isArray(body.value) ? (body.value[0] as Record<string, unknown> | undefined) : body;
        if (res.status === 200 && entity && prop in entity) accepted++;
        else failures.push(`${type}.${prop}: ${res.status} ${body.error?.message ?? 'missing from the payload'}`);
      }
      shares.push({
        type,
        check: '$select',
        accepted: `${accepted}/${props.length}`,
        share: pct(accepted, props.length),
      });
    }
    assert.deepEqual(failures, []);
  });

  it('unset declared properties are null, unset collections []', async () => {
    const user = h.tenant.userByKey('alice@contoso.onmicrosoft.com')!;
    const body = await json(await h.get(`/v1.0/users/${user.id}?$select=aboutMe,interests,employeeOrgData`, token));
    assert.equal(body.aboutMe, null);
    assert.deepEqual(body.interests, []);
    assert.equal(body.employeeOrgData, null);
  });

  for (const [type, writable, path] of [
    ['microsoft.graph.user', USER_WRITABLE, 'users'],
    ['microsoft.graph.group', GROUP_WRITABLE, 'groups'],
  ] as const) {
    it(`PATCH /${path}/{id} accepts every documented writable property and refuses the read-only ones`, async () => {
      const props = CSDL_SERVED[type]!.props;
      const id =
        path === 'users'
          ? h.tenant.users.find((u) => u.userType === 'Member' && h.tenant.activeRoleTemplateIds(u.id).length === 0)!.id
          : h.tenant.groups.find((g) => !g.resourceProvisioningOptions.includes('Team'))!.id;
      const failures: string[] = [];
      let accepted = 0;
      for (const prop of writable) {
        const value = sampleValue(prop, props[prop]!);
        const res = await h.send('PATCH', `/v1.0/${path}/${id}`, token, { [prop]: value });
        if (res.status !== 204) {
          failures.push(`${prop}: ${res.status} ${(await json(res)).error?.message}`);
          continue;
        }
        const read = await json(await h.get(`/v1.0/${path}/${id}?$select=${prop}`, token));
        // passwordProfile is write-only on Graph (always null when read).
        const expected = prop === 'passwordProfile' ? null : value;
        if (JSON.stringify(read[prop]) === JSON.stringify(expected)) accepted++;
        else failures.push(`${prop}: wrote ${JSON.stringify(value)}, read ${JSON.stringify(read[prop])}`);
      }
      let refused = 0;
      const readOnly = Object.keys(props).filter((p) => !(writable as readonly string[]).includes(p));
      for (const prop of readOnly) {
        const res = await h.send('PATCH', `/v1.0/${path}/${id}`, token, { [prop]: sampleValue(prop, props[prop]!) });
        const body = await json(res);
        if (res.status === 400 && body.error?.message === `Property '${prop}' is read-only and cannot be set.`)
          refused++;
        else failures.push(`read-only ${prop}: ${res.status}`);
      }
      const unknown = await h.send('PATCH', `/v1.0/${path}/${id}`, token, { notAProperty: 'x' });
      assert.equal(unknown.status, 400);
      assert.match((await json(unknown)).error!.message, /The property 'notAProperty' does not exist on type/);
      const wrongType = await h.send('PATCH', `/v1.0/${path}/${id}`, token, { displayName: 42 });
      assert.equal(wrongType.status, 400);
      shares.push({
        type,
        check: 'PATCH writable',
        accepted: `${accepted}/${writable.length}`,
        share: pct(accepted, writable.length),
      });
      shares.push({
        type,
        check: 'PATCH read-only refused',
        accepted: `${refused}/${readOnly.length}`,
        share: pct(refused, readOnly.length),
      });
      assert.deepEqual(failures, []);
    });
  }
});

const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)} %`;

let counter = 0;
/** A value of the property's CSDL type that Graph would accept. */
function sampleValue(prop: string, type: string): unknown {
  counter++;
  const special: Record<string, unknown> = {
    usageLocation: 'NO',
    userPrincipalName: `patched${counter}@contoso.onmicrosoft.com`,
    mail: `patched${counter}@contoso.com`,
    userType: 'Member',
    accountEnabled: true,
    passwordProfile: { password: 'Xy!9-long-enough-pass', forceChangePasswordNextSignIn: false },
    visibility: 'Private',
    preferredLanguage: 'nb-NO',
  };
  if (prop in special) return special[prop];
  if (type.startsWith('Collection(')) return type === 'Collection(Edm.String)' ? [`${prop}-${counter}`] : [];
  switch (type) {
    case 'Edm.String':
      return `${prop}-${counter}`;
    case 'Edm.Boolean':
      return true;
    case 'Edm.DateTimeOffset':
      return '2020-01-02T03:04:05Z';
    case 'Edm.Int32':
      return 1;
    default:
      return {};
  }
}
