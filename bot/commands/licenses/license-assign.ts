import { z } from 'zod';
import { UsageError } from '../../errors.js';
import { GraphRequestError } from '../../graph/errors.js';
import { runLookups } from '../_lib/batch-lookup.js';
import { graphOf } from '../_lib/context.js';
import { explainGraphError } from '../_lib/graph-hint.js';
import { defineCommand } from '../types.js';
import { userLookup, type GraphUser } from '../_lib/users.js';
import { findSku, freeUnits, skuLabel, skusLookup, type SubscribedSku } from './_skus.js';
import { userText } from './_target.js';
import { userArg } from '../_lib/args.js';

const NAME = 'license assign';

/** `--disable TEAMS1,EXCHANGE_S_ENTERPRISE` → plan ids of this SKU; an unknown name is a usage error (nothing sent). */
function disabledPlanIds(sku: SubscribedSku, typed: string | undefined): { ids: string[]; names: string[] } {
  if (!typed) return { ids: [], names: [] };
  const plans = sku.servicePlans ?? [];
  const found = typed
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => {
      const plan = plans.find(
        (p) =>
          p.servicePlanName.toLowerCase() === name.toLowerCase() ||
          p.servicePlanId.toLowerCase() === name.toLowerCase(),
      );
      if (!plan) {
        throw new UsageError(
          `"${name}" is not a service plan of ${sku.skuPartNumber}. Its plans: ${plans.map((p) => p.servicePlanName).join(', ')}.`,
          NAME,
          'disable',
        );
      }
      return plan;
    });
  return {
    ids: [...new Set(found.map((p) => p.servicePlanId))],
    names: [...new Set(found.map((p) => p.servicePlanName))],
  };
}

export default defineCommand({
  name: NAME,
  summary: 'Assigns a licence (by SKU part number) to a user, optionally with some service plans turned off.',
  usage: 'license assign <user> <SKU part number> [--disable <plan,…>]',
  examples: [
    'license assign alice@contoso.onmicrosoft.com ENTERPRISEPREMIUM',
    'license assign bob@contoso.onmicrosoft.com ENTERPRISEPACK --disable TEAMS1',
  ],
  args: {
    positional: ['user', 'sku'],
    schema: z
      .object({
        user: userArg,
        sku: z.string().trim().min(2).max(100),
        disable: z.string().trim().min(1).max(1000).optional(),
      })
      .strict(),
  },
  tier: 'write',
  scopes: ['LicenseAssignment.ReadWrite.All', 'User.Read.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    // The SKU list and the user (by UPN, id or name) in one $batch: a wrong SKU, plan or user stops before the write.
    const [skus, user] = await runLookups<[SubscribedSku[], GraphUser]>(
      graph,
      skusLookup(),
      userLookup(args.user, ['usageLocation']),
    );
    const sku = findSku(skus, args.sku, 'is bought in this tenant');
    const disabled = disabledPlanIds(sku, args.disable);
    let response;
    try {
      response = await graph.post<unknown>(`/users/${user.id}/assignLicense`, {
        addLicenses: [{ skuId: sku.skuId, disabledPlans: disabled.ids }],
        removeLicenses: [],
      });
    } catch (err) {
      if (err instanceof GraphRequestError && err.status === 400 && /usage location/i.test(err.graphMessage)) {
        throw explainGraphError(
          err,
          `${userText(user)} has no usage location, which Microsoft needs before any licence: set it (e.g. "US") ` +
            `on the user first.`,
        );
      }
      throw err;
    }
    const who = userText(user);
    const label = skuLabel(sku);
    return {
      card: 'tenant-change',
      data: {
        title: `${label} assigned`,
        status: 'Done',
        statusColor: 'Good',
        message:
          `${who} has ${label}${disabled.names.length ? ` with ${disabled.names.join(', ')} turned off` : ' with all its service plans'}. ` +
          `Services are provisioned over the next minutes.`,
        facts: [
          { title: 'User', value: who },
          { title: 'Licence', value: label },
          { title: 'Plans off', value: disabled.names.join(', ') || 'none' },
          { title: 'Seats free before', value: String(freeUnits(sku)) },
        ],
        requestId: response.requestId ?? '',
        actions: [{ title: 'Licences', text: 'licenses' }],
      },
      text: `${label} assigned to ${who} (request-id ${response.requestId ?? 'n/a'}).`,
    };
  },
});
