import { z } from 'zod';
import { withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { findSku, skuLabel } from './_skus.js';
import { licenseTarget, userText, type AssignedUser } from './_target.js';
import { userArg } from '../_lib/args.js';

interface LicenseDetail {
  skuId: string;
  skuPartNumber: string;
}

export default defineCommand({
  name: 'license remove',
  summary: "Removes a licence (by SKU part number) from a user; the user loses that product's services.",
  usage: 'license remove <user> <SKU part number>',
  examples: ['license remove alice@contoso.onmicrosoft.com ENTERPRISEPREMIUM'],
  args: {
    positional: ['user', 'sku'],
    schema: z.object({ user: userArg, sku: z.string().trim().min(2).max(100) }).strict(),
  },
  tier: 'dangerous',
  scopes: ['LicenseAssignment.ReadWrite.All', 'User.Read.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    const target = await licenseTarget(graph, args.user);
    // The user's own licences resolve the part number: a SKU they do not have is named as such, before any write.
    const details =
      (
        await graph.get<{ value: LicenseDetail[] }>(
          withQuery(`${target.path}/licenseDetails`, { $select: ['skuId', 'skuPartNumber'] }),
        )
      ).body.value ?? [];
    const sku = findSku(details, args.sku, `is assigned to ${target.label}`);
    const response = await graph.post<AssignedUser>(`${target.path}/assignLicense`, {
      addLicenses: [],
      removeLicenses: [sku.skuId],
    });
    const who = response.body?.displayName ? userText(response.body) : target.label;
    const label = skuLabel(sku);
    return {
      card: 'tenant-change',
      data: {
        title: `${label} removed`,
        status: 'Done',
        statusColor: 'Warning',
        message:
          `${who} no longer has ${label}. Its services stop for them; mailbox and OneDrive data are kept for 30 ` +
          `days.`,
        facts: [
          { title: 'User', value: who },
          { title: 'Licence', value: label },
          {
            title: 'Other licences',
            value:
              details
                .filter((d) => d.skuId !== sku.skuId)
                .map((d) => d.skuPartNumber)
                .join(', ') || 'none',
          },
        ],
        requestId: response.requestId ?? '',
        actions: [{ title: 'Licences', text: 'licenses' }],
      },
      text: `${label} removed from ${who} (request-id ${response.requestId ?? 'n/a'}).`,
    };
  },
});
