import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { GraphApi } from '../../graph/client.js';
import { odataLiteral, withQuery } from '../../graph/odata.js';
import { operationError, pollOperation } from '../_lib/async-operation.js';
import type { Lookup } from '../_lib/batch-lookup.js';
import { stepBody } from '../_lib/batch-steps.js';
import { detailOutput, type Fact } from '../_lib/detail-card.js';
import type { CommandOutput } from '../types.js';

export const NUMBERS_BASE = '/admin/teams/telephoneNumberManagement/numberAssignments';
export const NUMBER_TYPES = ['callingPlan', 'directRouting', 'operatorConnect'] as const;

/** A telephone number in E.164 form: +, country code, subscriber number, 8–15 digits in all. */
export const e164Arg = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{7,14}$/, 'is a phone number in E.164 form, e.g. +14255550100');

/** microsoft.graph.teamsAdministration.numberAssignment, as far as the bot reads it. */
export interface NumberAssignment {
  id?: string;
  telephoneNumber: string;
  numberType?: string;
  assignmentStatus?: string;
  activationState?: string;
  assignmentTargetId?: string | null;
  assignmentCategory?: string | null;
  locationId?: string | null;
  city?: string | null;
  isoCountryCode?: string | null;
}

const NUMBER_FIELDS = [
  'telephoneNumber',
  'numberType',
  'assignmentStatus',
  'activationState',
  'assignmentTargetId',
  'assignmentCategory',
];

/** One number as it is now, as a batch step (the collection is filtered; the tenant must have the number). */
export function numberLookup(telephoneNumber: string, id = 'number'): Lookup<NumberAssignment> {
  return {
    steps: [
      {
        id,
        method: 'GET',
        url: withQuery(NUMBERS_BASE, {
          $filter: `telephoneNumber eq ${odataLiteral(telephoneNumber)}`,
          $select: NUMBER_FIELDS,
        }),
      },
    ],
    pick: (results) => {
      const found = stepBody<{ value?: NumberAssignment[] }>(results, id).value?.[0];
      if (!found) throw new NotFoundError(`${telephoneNumber} is not a telephone number of this tenant.`);
      return found;
    },
  };
}

/**
 * Number assignment and release are "asynchronous orders": 202 + Location of an operation. We post the order,
 * poll it a few times within seconds, and report done / failed / still running (with how to check).
 */
export async function placeNumberOrder(
  graph: GraphApi,
  order: {
    action: 'assignNumber' | 'unassignNumber';
    body: Record<string, unknown>;
    number: string;
    facts: Fact[];
    followUps?: Array<{ title: string; text: string }>;
  },
): Promise<CommandOutput> {
  const response = await graph.post<undefined>(`${NUMBERS_BASE}/${order.action}`, order.body);
  const location = response.headers.get('location');
  const state = location ? await pollOperation(graph, location) : undefined;
  const assigning = order.action === 'assignNumber';
  const facts = [
    ...order.facts,
    {
      title: 'Order',
      value: state ? `${state.status} (checked ${state.polls}×)` : 'accepted (Graph gave no operation to follow)',
    },
    { title: 'request-id', value: response.requestId ?? 'n/a' },
  ];
  const check = { title: 'Check the number', text: `phone numbers ${order.number}` };
  if (state?.finished && state.status !== 'succeeded') {
    return detailOutput({
      title: assigning ? 'Number not assigned' : 'Number not released',
      subtitle: order.number,
      status: 'Failed',
      statusColor: 'Attention',
      facts,
      note: `Graph reports the order failed: ${operationError(state.body)}`,
      actions: [check],
      text:
        `The ${assigning ? 'assignment' : 'release'} of ${order.number} failed: ${operationError(state.body)} ` +
        `(request-id ${response.requestId ?? 'n/a'}).`,
    });
  }
  if (state?.finished) {
    return detailOutput({
      title: assigning ? 'Number assigned' : 'Number released',
      subtitle: order.number,
      status: 'Done',
      statusColor: 'Good',
      facts,
      actions: [check, ...(order.followUps ?? [])],
      text: `${order.number} ${assigning ? 'assigned' : 'released'} (request-id ${response.requestId ?? 'n/a'}).`,
    });
  }
  return detailOutput({
    title: assigning ? 'Assigning the number' : 'Releasing the number',
    subtitle: order.number,
    status: state?.checkFailed ? 'Accepted' : 'Still running',
    statusColor: 'Warning',
    facts,
    note:
      `${state?.checkFailed ? `Graph accepted it, but reading its progress failed (${state.checkFailed}). ` : `Graph accepted it and is still working on it. `}Check ` +
      `with: phone numbers ${order.number}`,
    actions: [check],
    text:
      `Graph accepted the order for ${order.number} and is still running it; check with "phone numbers ` +
      `${order.number}" (request-id ${response.requestId ?? 'n/a'}).`,
  });
}
