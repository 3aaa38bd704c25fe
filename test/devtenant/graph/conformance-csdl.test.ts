import assert from 'node:assert/strict';
import {
  buildCsdlModel,
  checkContextUrl,
  loadGraphCsdl,
  resolveGraphPath,
  validateEntity,
  validateResponseBody,
  allowedMethods,
} from '../../../devtenant/graph/csdl/index.js';
import type { ResolvedGraphPath } from '../../../devtenant/graph/csdl/index.js';

const TA = 'microsoft.graph.teamsAdministration';

function ok(path: string, keysMustBePlaceholders = false): ResolvedGraphPath {
  const r = resolveGraphPath(path, { keysMustBePlaceholders });
  if (!r.ok) assert.fail(`${path}: ${r.message}`);
  return r;
}
function shape(r: ResolvedGraphPath): string {
  return r.isCollection ? `Collection(${r.type})` : String(r.type);
}

describe('CSDL model (v1.0 metadata)', () => {
  // Parsing 3.4 MB of metadata takes ~0.25 s on an idle machine; give a loaded shared machine room, once.
  before(function () {
    this.timeout(30_000);
    loadGraphCsdl();
  });

  it('indexes the whole document with aliases resolved', () => {
    const m = loadGraphCsdl();
    assert.ok(m.structuredTypes.size > 2500);
    assert.equal(m.structuredType(`${TA}.numberAssignment`)?.baseType, 'microsoft.graph.entity');
    assert.deepEqual(m.keyNames('microsoft.graph.user'), { key: ['id'], alternateKeys: [['userPrincipalName']] });
    assert.equal(m.findProperty(`${TA}.teamsUserConfiguration`, 'accountType')?.type.name, `${TA}.accountType`);
  });

  it('resolves aliases declared by a later schema, and external alternate-key annotations', () => {
    const m = buildCsdlModel(`<edmx:Edmx xmlns:edmx="x"><edmx:DataServices>
      <Schema Namespace="n.one" Alias="one"><EntityType Name="e"><Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/><Property Name="t" Type="two.thing"/></EntityType>
        <Annotations Target="one.e"><Annotation Term="Org.OData.Core.V1.AlternateKeys"><Collection>
          <Record Type="Org.OData.Core.V1.AlternateKey"><PropertyValue Property="Key"><Collection><Record>
          <PropertyValue Property="Name" PropertyPath="t"/></Record></Collection></PropertyValue></Record></Collection></Annotation></Annotations>
        <EntityContainer Name="c"><EntitySet Name="es" EntityType="n.one.e"/></EntityContainer></Schema>
      <Schema Namespace="n.two" Alias="two"><ComplexType Name="thing"><Property Name="x" Type="Edm.Int32"/></ComplexType></Schema>
    </edmx:DataServices></edmx:Edmx>`);
    assert.equal(m.findProperty('n.one.e', 't')?.type.name, 'n.two.thing');
    assert.deepEqual(m.keyNames('n.one.e').alternateKeys, [['t']]);
    assert.equal(shape(resolveGraphPath("/es(t='a')/t", { model: m }) as ResolvedGraphPath), 'n.two.thing');
  });
});

describe('resolveGraphPath', () => {
  const cases: Array<[string, string, string]> = [
    ['/users/{id}', 'entity', 'microsoft.graph.user'],
    ["/v1.0/users('a%40b.com')", 'entity', 'microsoft.graph.user'],
    ["/users(userPrincipalName='o''neil@contoso.com')", 'entity', 'microsoft.graph.user'],
    [
      "/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')/members",
      'entity',
      'Collection(microsoft.graph.directoryObject)',
    ],
    ['/users/{id}/memberOf/microsoft.graph.group', 'entity', 'Collection(microsoft.graph.group)'],
    ['/teams/{id}/members', 'entity', 'Collection(microsoft.graph.conversationMember)'],
    ['/teams/{id}/archive', 'none', 'null'],
    ['/teams/{id}/operations/{opId}', 'entity', 'microsoft.graph.teamsAsyncOperation'],
    [
      "/admin/teams/policy/getPolicyId(type='TeamsMeetingPolicy',name='AllOn')",
      'entity',
      `Collection(${TA}.policyIdentifierDetail)`,
    ],
    ['/admin/teams/policy/userAssignments/assign', 'none', 'null'],
    [`/admin/teams/policy/userAssignments/${TA}.unassign`, 'none', 'null'],
    ['/admin/teams/telephoneNumberManagement/numberAssignments/assignNumber', 'none', 'null'],
    ['/admin/serviceAnnouncement/healthOverviews/Microsoft%20Teams', 'entity', 'microsoft.graph.serviceHealth'],
    ['/users/{id}/revokeSignInSessions', 'primitive', 'Edm.Boolean'],
    ['/groups/{id}/members/$ref', 'ref', 'Collection(microsoft.graph.directoryObject)'],
    ['/groups/{id}/members/{userId}/$ref', 'ref', 'microsoft.graph.directoryObject'],
    ['/users/$count', 'count', 'Edm.Int32'],
    ['/users/{id}/displayName', 'primitive', 'Edm.String'],
    ['/me/photo/$value', 'value', 'Edm.Stream'],
    ['/users/{id}/authentication/methods/{methodId}/resetPassword', 'complex', 'microsoft.graph.passwordResetResponse'],
  ];
  for (const [path, kind, type] of cases) {
    it(`${path} → ${kind} ${type}`, () => {
      const r = ok(path);
      assert.equal(r.kind, kind);
      assert.equal(shape(r), type);
    });
  }

  const failures: Array<[string, string, string]> = [
    ['/bogus/x', 'bogus', 'SegmentNotFound'],
    ['/beta/users', 'beta', 'SegmentNotFound'],
    ['/teams/{id}/archiv', 'archiv', 'SegmentNotFound'],
    ['/users/{id}/roleAssignmentApprovals', 'roleAssignmentApprovals', 'SegmentNotFound'],
    ["/admin/teams/policy/getPolicyId(type='x')", "getPolicyId(type='x')", 'InvalidSegment'],
    [
      "/admin/teams/policy/getPolicyId(type='x',name='y',extra='z')",
      "getPolicyId(type='x',name='y',extra='z')",
      'InvalidSegment',
    ],
    ['/teams/{id}/archive/x', 'x', 'InvalidSegment'],
    ['/users/{id}/$ref', '$ref', 'InvalidSegment'],
    ["/users(mail='x')", "users(mail='x')", 'InvalidSegment'],
    [
      '/admin/teams/policy/userAssignments/microsoft.graph.nope.assign',
      'microsoft.graph.nope.assign',
      'SegmentNotFound',
    ],
  ];
  for (const [path, segment, code] of failures) {
    it(`${path} fails at '${segment}' (${code})`, () => {
      const r = resolveGraphPath(path, { keysMustBePlaceholders: true });
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.segment, segment);
        assert.equal(r.code, code);
      }
    });
  }

  it('treats a literal segment after a collection as a key unless keys must be placeholders', () => {
    assert.equal(ok('/users/alice@contoso.com').type, 'microsoft.graph.user');
    assert.equal(resolveGraphPath('/teams/{id}/members/add2', { keysMustBePlaceholders: true }).ok, false);
  });

  it('reports which HTTP methods a path accepts', () => {
    assert.deepEqual(allowedMethods(ok('/teams/{id}/archive')), ['POST']);
    assert.deepEqual(allowedMethods(ok("/admin/teams/policy/getPolicyId(type='a',name='b')")), ['GET']);
    assert.ok(allowedMethods(ok('/teams/{id}/members')).includes('POST'));
    assert.ok(allowedMethods(ok('/teams/{id}/members/{mid}')).includes('DELETE'));
  });
});

describe('validateEntity', () => {
  const config = {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#admin/teams/userConfigurations/$entity',
    id: '2d3e7a88-5b61-4e1b-9f61-0f0c3b1a2a44',
    accountType: 'user',
    createdDateTime: '2026-01-02T03:04:05Z',
    modifiedDateTime: '2026-01-02T03:04:05.1234567+01:00',
    tenantId: 't',
    userPrincipalName: 'alice@contoso.onmicrosoft.com',
    isEnterpriseVoiceEnabled: true,
    featureTypes: ['Teams', 'AudioConferencing'],
    telephoneNumbers: [{ telephoneNumber: '+14255550100', assignmentCategory: 'primary' }],
    effectivePolicyAssignments: [
      {
        policyType: 'TeamsMeetingPolicy',
        policyAssignment: { assignmentType: 'direct', displayName: 'AllOn', policyId: 'p1', groupId: null },
      },
    ],
    user: {
      id: '2d3e7a88-5b61-4e1b-9f61-0f0c3b1a2a44',
      displayName: 'Alice',
      accountEnabled: true,
      businessPhones: [],
    },
  };

  it('accepts a conforming entity with nested complex values and an expanded navigation property', () => {
    assert.deepEqual(validateEntity(`${TA}.teamsUserConfiguration`, config), []);
  });

  const broken: Array<[string, Record<string, unknown>, string]> = [
    ['an unknown property', { ...config, voiceEnabled: true }, 'voiceEnabled'],
    ['a bad enum member', { ...config, accountType: 'member' }, 'accountType'],
    ['null in a non-nullable property', { ...config, tenantId: null }, 'tenantId'],
    ['a string for a boolean', { ...config, isEnterpriseVoiceEnabled: 'true' }, 'isEnterpriseVoiceEnabled'],
    ['a date-time without offset', { ...config, createdDateTime: '2026-01-02T03:04:05' }, 'createdDateTime'],
    ['null instead of an empty collection', { ...config, featureTypes: null }, 'featureTypes'],
    [
      'a bad value deep inside a complex collection',
      {
        ...config,
        effectivePolicyAssignments: [
          { policyType: 'x', policyAssignment: { assignmentType: 'inherited', displayName: 'd', policyId: 'p' } },
        ],
      },
      'effectivePolicyAssignments[0].policyAssignment.assignmentType',
    ],
    ['an unknown property on the expanded user', { ...config, user: { id: 'x', upn: 'a' } }, 'user.upn'],
    [
      'an @odata.type that is not derived from the declared type',
      { ...config, '@odata.type': '#microsoft.graph.group' },
      '@odata.type',
    ],
  ];
  for (const [what, payload, path] of broken) {
    it(`reports ${what} at '${path}'`, () => {
      const issues = validateEntity(`${TA}.teamsUserConfiguration`, payload);
      assert.ok(
        issues.some((i) => i.path === path),
        JSON.stringify(issues),
      );
    });
  }

  it('uses @odata.type to validate derived-type properties and rejects abstract types without it', () => {
    const member = {
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      id: 'm1',
      roles: ['owner'],
      displayName: 'A',
      userId: 'u',
      email: 'a@b',
      tenantId: 't',
      visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
    };
    assert.deepEqual(validateEntity('microsoft.graph.conversationMember', member), []);
    const { '@odata.type': _dropped, ...untyped } = member;
    const issues = validateEntity('microsoft.graph.conversationMember', untyped)
      .map((i) => i.message)
      .join('\n');
    assert.match(issues, /abstract/);
    assert.match(issues, /'userId' does not exist on microsoft.graph.conversationMember/);
  });

  it('checks every primitive representation', () => {
    const probe = (type: string, value: unknown): number => {
      const m = buildCsdlModel(
        `<Edmx><DataServices><Schema Namespace="t"><ComplexType Name="c"><Property Name="p" ` +
          `Type="${type}"/></ComplexType></Schema></DataServices></Edmx>`,
      );
      return validateEntity('t.c', { p: value }, { model: m }).length;
    };
    const good: Array<[string, unknown]> = [
      ['Edm.Guid', '62e90394-69f5-4237-9190-012177145e10'],
      ['Edm.Int32', 5],
      ['Edm.Int64', 2 ** 40],
      ['Edm.Double', 1.5],
      ['Edm.Double', 'NaN'],
      ['Edm.Binary', 'AQID'],
      ['Edm.Binary', 'AQ_-'],
      ['Edm.Date', '2026-11-26'],
      ['Edm.TimeOfDay', '08:30:00.0000000'],
      ['Edm.Duration', 'PT1H30M'],
      ['Edm.Duration', 'P2D'],
      ['Edm.DateTimeOffset', '2026-11-26T09:00:00.123Z'],
    ];
    const bad: Array<[string, unknown]> = [
      ['Edm.Guid', 'not-a-guid'],
      ['Edm.Int32', 2 ** 31],
      ['Edm.Int32', 1.5],
      ['Edm.Int64', '5'],
      ['Edm.Double', 'x'],
      ['Edm.Binary', 'a b'],
      ['Edm.Date', '2026-13-01'],
      ['Edm.TimeOfDay', '25:00'],
      ['Edm.Duration', 'PT'],
      ['Edm.Duration', '1h'],
      ['Edm.DateTimeOffset', '2026-11-26'],
      ['Edm.Boolean', 0],
      ['Edm.String', 1],
    ];
    for (const [type, value] of good) assert.equal(probe(type, value), 0, `${type} ${String(value)}`);
    for (const [type, value] of bad) assert.equal(probe(type, value), 1, `${type} ${String(value)}`);
  });

  it('rejects evolvable enum members unless the client opted in', () => {
    const operation = { id: 'op', operationType: 'archiveChannel', status: 'succeeded' };
    assert.equal(validateEntity('microsoft.graph.teamsAsyncOperation', operation).length, 1);
    assert.equal(
      validateEntity('microsoft.graph.teamsAsyncOperation', operation, { includeUnknownEnumMembers: true }).length,
      0,
    );
    assert.equal(
      validateEntity('microsoft.graph.teamsAsyncOperation', { ...operation, operationType: 'archiveTeam' }).length,
      0,
    );
  });

  it('allows dynamic properties on open types only when asked', () => {
    const team = { id: 't1', displayName: 'X', extension_abc: 1 };
    assert.equal(validateEntity('microsoft.graph.team', team).length, 1);
    assert.equal(validateEntity('microsoft.graph.team', team, { allowDynamicProperties: true }).length, 0);
    assert.equal(
      validateEntity('microsoft.graph.teamsAsyncOperation', { id: 'o', bogus: 1 }, { allowDynamicProperties: false })
        .length,
      1,
    );
  });
});

describe('validateResponseBody', () => {
  it('checks the collection envelope and each item', () => {
    const r = ok('/teams/{id}/members');
    const member = { '@odata.type': '#microsoft.graph.aadUserConversationMember', id: 'm', roles: [] };
    assert.deepEqual(validateResponseBody(r, { '@odata.context': 'x', '@odata.nextLink': 'y', value: [member] }), []);
    assert.equal(validateResponseBody(r, [member]).length, 1);
    assert.equal(validateResponseBody(r, { value: [member], total: 1 }).length, 1);
    assert.equal(validateResponseBody(r, { value: [{ ...member, roles: 'owner' }] })[0]?.path, 'value[0].roles');
  });

  it('checks primitive results wrapped in value', () => {
    const r = ok('/users/{id}/revokeSignInSessions');
    assert.deepEqual(validateResponseBody(r, { '@odata.context': 'x', value: true }), []);
    assert.equal(validateResponseBody(r, { value: 'true' }).length, 1);
  });
});

describe('checkContextUrl', () => {
  const root = 'http://127.0.0.1:1/v1.0/$metadata#';
  const cases: Array<[string, string, boolean]> = [
    ['/users', 'users', true],
    ['/users', 'users(id,displayName)', true],
    ['/users/{id}', 'users/$entity', true],
    ['/users/{id}', 'users(id,displayName)/$entity', true],
    ['/users/{id}', 'users', false],
    ['/users/{id}', 'groups/$entity', false],
    ['/users', 'users/$entity', false],
    ['/teams/{id}/members', "teams('abc')/members", true],
    ['/teams/{id}/members', "teams('abc')/channels", false],
    ["/admin/teams/policy/getPolicyId(type='a',name='b')", `Collection(${TA}.policyIdentifierDetail)`, true],
    ["/admin/teams/policy/getPolicyId(type='a',name='b')", `${TA}.policyIdentifierDetail`, false],
    ['/users/{id}/revokeSignInSessions', 'Edm.Boolean', true],
    ['/users/{id}/revokeSignInSessions', 'Edm.String', false],
    ['/users/{id}/memberOf', 'directoryObjects', true],
    ['/groups/{id}/members/$ref', 'Collection($ref)', true],
    ['/admin/teams/userConfigurations/{id}', 'admin/teams/userConfigurations/$entity', true],
    ['/admin/teams/userConfigurations/{id}', 'admin/teams/userConfiguration/$entity', false],
  ];
  for (const [path, fragment, good] of cases) {
    it(`${good ? 'accepts' : 'rejects'} #${fragment} for ${path}`, () => {
      assert.equal(
        checkContextUrl(root + fragment, ok(path)).length === 0,
        good,
        JSON.stringify(checkContextUrl(root + fragment, ok(path))),
      );
    });
  }
  it('rejects a context without $metadata#', () =>
    assert.equal(checkContextUrl('https://x/v1.0/users', ok('/users')).length, 1));
});
