import { z } from 'zod';
import { graphOf } from '../_lib/context.js';
import { listOutput } from '../_lib/list-card.js';
import { localPage, pageArg } from '../_lib/local-page.js';
import { defineCommand } from '../types.js';
import { fetchSkus, freeUnits, skuLabel, type SubscribedSku } from './_skus.js';

/** Plans named in a row before "+N more": enough to recognise the product and to pick names for --disable. */
const PLANS_SHOWN = 6;

function badge(sku: SubscribedSku): { badge: string; badgeColor: string } {
  const status = sku.capabilityStatus ?? 'Enabled';
  if (status === 'Suspended' || status === 'LockedOut' || status === 'Deleted')
    return { badge: status, badgeColor: 'Attention' };
  if (status === 'Warning') return { badge: 'Warning (expiring)', badgeColor: 'Warning' };
  const free = freeUnits(sku);
  return free === 0
    ? { badge: 'No seats free', badgeColor: 'Attention' }
    : { badge: `${free} free`, badgeColor: 'Good' };
}

function plansText(sku: SubscribedSku): string {
  const names = (sku.servicePlans ?? []).map((p) => p.servicePlanName);
  const more = names.length > PLANS_SHOWN ? `, +${names.length - PLANS_SHOWN} more` : '';
  return names.length ? `plans: ${names.slice(0, PLANS_SHOWN).join(', ')}${more}` : 'no service plans';
}

export default defineCommand({
  name: 'licenses',
  summary: "The tenant's licences: product, seats used of bought, free seats, subscription state and service plans.",
  usage: 'licenses',
  examples: ['licenses'],
  args: { positional: [], schema: z.object({ ...pageArg }).strict() },
  tier: 'read',
  scopes: ['LicenseAssignment.Read.All'],
  // Works app-only (no /me, nothing of the admin's session): may run as the reports app (schedule add).
  schedulable: { appScopes: ['LicenseAssignment.Read.All'] },
  async run(ctx, args) {
    const skus = (await fetchSkus(graphOf(ctx))).sort((a, b) => a.skuPartNumber.localeCompare(b.skuPartNumber));
    return listOutput(localPage(ctx, skus, args.page), {
      title: 'Licences',
      noun: 'subscriptions',
      empty: 'This tenant has no subscriptions.',
      row: (sku) => ({
        title: skuLabel(sku),
        detail:
          `${sku.consumedUnits ?? 0} of ${sku.prepaidUnits?.enabled ?? 0} seats used · subscription ` +
          `${sku.capabilityStatus ?? 'Enabled'} · ${plansText(sku)}`,
        ...badge(sku),
        open: 'licenses',
      }),
    });
  },
});
