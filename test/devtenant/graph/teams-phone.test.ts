import assert from 'node:assert/strict';
import { startHarness, json, type Harness } from './helpers.js';
import type { NumberAssignment } from '../../../devtenant/seed/index.js';

const BASE = '/v1.0/admin/teams/telephoneNumberManagement';
type Number = {
  id: string;
  telephoneNumber: string;
  numberType: string;
  assignmentStatus: string;
  activationState: string;
  assignmentTargetId: string | null;
};

describe('devtenant graph: Teams phone numbers (numberAssignments, assignNumber/unassignNumber orders)', () => {
  let h: Harness;
  let voiceAdmin: string;
  before(async () => {
    h = await startHarness();
    voiceAdmin = await h.userToken('teamsadmin', [
      'TeamsTelephoneNumber.ReadWrite.All',
      'TeamsUserConfiguration.Read.All',
    ]);
  });
  after(() => h.close());

  const alice = () => h.tenant.userByUpn(`alice@${h.tenant.domain}`)!;
  const freeNumber = (): NumberAssignment =>
    h.tenant.numberAssignments.find((n) => n.assignmentStatus === 'unassigned' && n.numberType === 'callingPlan')!;
  const numberNamed = async (telephoneNumber: string): Promise<Number> => {
    const body = await json(
      await h.get(
        `${BASE}/numberAssignments?$filter=telephoneNumber eq '${encodeURIComponent(telephoneNumber)}'`,
        voiceAdmin,
      ),
    );
    return (body.value as Number[])[0]!;
  };
  async function waitForOrder(location: string): Promise<Record<string, unknown>> {
    assert.ok(location.startsWith(`${h.server.url}${BASE}/operations/`), location);
    for (let i = 0; i < 40; i++) {
      const op = await json(await h.get(location.slice(h.server.url.length), voiceAdmin));
      assert.ok(['notStarted', 'running', 'succeeded'].includes(String(op.status)), String(op.status));
      if (op.status === 'succeeded') return op;
      await new Promise((r) => setTimeout(r, 40));
    }
    assert.fail('the order did not complete');
  }

  it('lists numbers and filters on assignmentStatus and numberType', async () => {
    const all = (await json(await h.get(`${BASE}/numberAssignments`, voiceAdmin))).value as Number[];
    assert.equal(all.length, h.tenant.numberAssignments.length);
    const unassigned = (
      await json(await h.get(`${BASE}/numberAssignments?$filter=assignmentStatus eq 'unassigned'`, voiceAdmin))
    ).value as Number[];
    assert.ok(unassigned.length > 0 && unassigned.every((n) => n.assignmentStatus === 'unassigned'));
    const both = (
      await json(
        await h.get(
          `${BASE}/numberAssignments?$filter=assignmentStatus eq 'unassigned' and numberType eq 'callingPlan'`,
          voiceAdmin,
        ),
      )
    ).value as Number[];
    assert.deepEqual(
      both.map((n) => n.id),
      h.tenant.numberAssignments
        .filter((n) => n.assignmentStatus === 'unassigned' && n.numberType === 'callingPlan')
        .map((n) => n.id),
    );
    assert.equal((await h.get(`${BASE}/numberAssignments?$filter=city eq 'x' or bogus eq 1`, voiceAdmin)).status, 400);
  });

  it('assignNumber → 202 + Location to …/operations/{id}; the number is assigned only when the order completes', async () => {
    const number = freeNumber();
    const res = await h.send('POST', `${BASE}/numberAssignments/assignNumber`, voiceAdmin, {
      telephoneNumber: number.telephoneNumber,
      assignmentTargetId: alice().id,
      numberType: 'callingPlan',
      assignmentCategory: 'primary',
    });
    assert.equal(res.status, 202);
    const pending = await numberNamed(number.telephoneNumber);
    assert.ok(
      pending.assignmentStatus === 'unassigned' || pending.activationState === 'activated',
      'not visible as assigned before completion unless already done',
    );
    const op = await waitForOrder(res.headers.get('location')!);
    assert.equal((op.numbers as { status: string }[])[0]!.status, 'succeeded');
    const done = await numberNamed(number.telephoneNumber);
    assert.equal(done.assignmentStatus, 'userAssigned');
    assert.equal(done.activationState, 'activated');
    assert.equal(done.assignmentTargetId, alice().id);
    const config = await json(await h.get(`/v1.0/admin/teams/userConfigurations/${alice().id}`, voiceAdmin));
    assert.ok(
      (config.telephoneNumbers as { telephoneNumber: string }[]).some(
        (t) => t.telephoneNumber === number.telephoneNumber,
      ),
    );
    assert.equal(config.isEnterpriseVoiceEnabled, true);
  });

  it('refuses a number that is already assigned (400), a wrong numberType (400), an unknown number or user (404)', async () => {
    const assigned = h.tenant.numberAssignments.find((n) => n.assignmentStatus === 'userAssigned')!;
    const post = (body: unknown) => h.send('POST', `${BASE}/numberAssignments/assignNumber`, voiceAdmin, body);
    const again = await post({
      telephoneNumber: assigned.telephoneNumber,
      assignmentTargetId: alice().id,
      numberType: assigned.numberType,
    });
    assert.equal(again.status, 400);
    assert.equal((await json(again)).error?.code, 'BadRequest');
    const free = freeNumber();
    assert.equal(
      (
        await post({
          telephoneNumber: free.telephoneNumber,
          assignmentTargetId: alice().id,
          numberType: 'directRouting',
        })
      ).status,
      400,
    );
    assert.equal((await post({ telephoneNumber: free.telephoneNumber, assignmentTargetId: alice().id })).status, 400);
    assert.equal(
      (await post({ telephoneNumber: '+19999999999', assignmentTargetId: alice().id, numberType: 'callingPlan' }))
        .status,
      404,
    );
    assert.equal(
      (
        await post({
          telephoneNumber: free.telephoneNumber,
          assignmentTargetId: '00000000-0000-4000-8000-00000000dead',
          numberType: 'callingPlan',
        })
      ).status,
      404,
    );
    assert.equal(free.assignmentStatus, 'unassigned');
  });

  it('unassignNumber → 202, and the number is back in the pool after completion; unassigning again → 400', async () => {
    const number = h.tenant.numberAssignments.find((n) => n.assignmentTargetId === alice().id)!;
    const res = await h.send('POST', `${BASE}/numberAssignments/unassignNumber`, voiceAdmin, {
      telephoneNumber: number.telephoneNumber,
      numberType: 'callingPlan',
    });
    assert.equal(res.status, 202);
    await waitForOrder(res.headers.get('location')!);
    const done = await numberNamed(number.telephoneNumber);
    assert.equal(done.assignmentStatus, 'unassigned');
    assert.equal(done.assignmentTargetId, null);
    assert.equal(
      (
        await h.send('POST', `${BASE}/numberAssignments/unassignNumber`, voiceAdmin, {
          telephoneNumber: number.telephoneNumber,
        })
      ).status,
      400,
    );
    assert.ok(h.tenant.directoryAudits.some((a) => a.activityDisplayName === 'Unassign telephone number'));
  });

  it('needs TeamsTelephoneNumber.ReadWrite.All to order and a Teams role to read', async () => {
    const readOnly = await h.userToken('teamsadmin', ['TeamsTelephoneNumber.Read.All']);
    const free = freeNumber();
    const body = { telephoneNumber: free.telephoneNumber, assignmentTargetId: alice().id, numberType: 'callingPlan' };
    assert.equal((await h.send('POST', `${BASE}/numberAssignments/assignNumber`, readOnly, body)).status, 403);
    assert.equal((await h.get(`${BASE}/numberAssignments`, readOnly)).status, 200);
    const bob = await h.userToken('bob', ['TeamsTelephoneNumber.Read.All']);
    assert.equal((await h.get(`${BASE}/numberAssignments`, bob)).status, 403);
  });
});
