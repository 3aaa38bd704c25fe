import { withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { listOutput } from '../_lib/list-card.js';
import { userAddress } from '../_lib/user-target.js';
import { defineCommand } from '../types.js';
import { oneUserArgs } from '../_lib/args.js';

interface LicenseDetail {
  id: string;
  skuId: string;
  skuPartNumber?: string;
  servicePlans?: Array<{ servicePlanName?: string; provisioningStatus?: string }>;
}

export default defineCommand({
  name: 'user licenses',
  aliases: ['user licences'],
  summary: "Lists a user's licences (SKUs) and which of their service plans are switched off.",
  usage: 'user licenses <upn | object id | display name>',
  examples: ['user licenses alice@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'read',
  scopes: ['LicenseAssignment.Read.All', 'User.Read.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    // A UPN or object id addresses the user directly: one round trip. A display name is resolved first.
    const { path: base, who } = await userAddress(graph, args.user);
    const response = await graph.get<{ value: LicenseDetail[] }>(
      withQuery(`${base}/licenseDetails`, { $select: ['skuId', 'skuPartNumber', 'servicePlans'] }),
    );
    const items = response.body.value ?? [];
    return listOutput(
      { items, page: 1, more: '' },
      {
        title: `Licences of ${who}`,
        noun: 'licences',
        empty: `${who} has no licence assigned.`,
        row: (licence) => {
          const plans = licence.servicePlans ?? [];
          const off = plans.filter((p) => p.provisioningStatus === 'Disabled').map((p) => p.servicePlanName ?? '?');
          return {
            title: licence.skuPartNumber ?? licence.skuId,
            detail: `${plans.length - off.length} of ${plans.length} service plans on${off.length ? ` · off: ${off.join(', ')}` : ''}`,
            badge: off.length ? 'Some plans off' : 'Assigned',
            badgeColor: off.length ? 'Warning' : 'Good',
            open: `user ${who}`,
          };
        },
      },
    );
  },
});
