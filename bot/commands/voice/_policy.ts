import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import { odataLiteral } from '../../graph/odata.js';
import type { Lookup } from '../_lib/batch-lookup.js';
import { stepBody } from '../_lib/batch-steps.js';

/**
 * A Teams policy type as PowerShell names it (TeamsMeetingPolicy, OnlineVoiceRoutingPolicy, TenantDialPlan…).
 * Graph does not publish the accepted list, so only the shape is checked here; Graph answers 400 for an unknown type.
 */
export const policyTypeArg = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9]{2,79}$/, 'is a policy type such as TeamsMeetingPolicy (letters and digits only)');

export const policyNameArg = z
  .string()
  .trim()
  .min(1, 'name the policy instance')
  .max(256, 'is too long for a policy name');

export interface PolicyIdentifier {
  name: string;
  policyId: string;
}

/** `getPolicyId(type='…',name='…')`: both values typed by the admin, so both are escaped and encoded. */
export function policyIdPath(type: string, name: string): string {
  const param = (value: string) => encodeURIComponent(odataLiteral(value));
  return `/admin/teams/policy/getPolicyId(type=${param(type)},name=${param(name)})`;
}

/**
 * The id of a named policy instance, as a batch step (so it can travel with the user lookup). Graph answers a
 * collection; the exact (case-sensitive) name wins when several differ only by case.
 */
export function policyIdLookup(type: string, name: string, id = 'policy'): Lookup<PolicyIdentifier> {
  return {
    steps: [{ id, method: 'GET', url: policyIdPath(type, name) }],
    pick: (results) => pickPolicy(stepBody<{ value?: PolicyIdentifier[] }>(results, id).value ?? [], type, name),
  };
}

export function pickPolicy(found: PolicyIdentifier[], type: string, name: string): PolicyIdentifier {
  const match = found.find((p) => p.name === name) ?? (found.length === 1 ? found[0] : undefined);
  if (!match)
    throw new NotFoundError(
      `No ${type} is named "${name}"${found.length ? ` exactly (found: ${found.map((p) => p.name).join(', ')})` : ''}.`,
    );
  return match;
}
