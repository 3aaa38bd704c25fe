import type { GraphApi } from '../../graph/client.js';
import { isGuid, withQuery } from '../../graph/odata.js';
import { NotFoundError } from '../../errors.js';
import type { Lookup } from '../_lib/batch-lookup.js';
import { stepBody } from '../_lib/batch-steps.js';

export interface ServicePlan {
  servicePlanId: string;
  servicePlanName: string;
  provisioningStatus?: string;
  appliesTo?: string;
}

export interface SubscribedSku {
  skuId: string;
  skuPartNumber: string;
  capabilityStatus?: string;
  consumedUnits?: number;
  prepaidUnits?: { enabled?: number; suspended?: number; warning?: number; lockedOut?: number };
  servicePlans?: ServicePlan[];
}

/**
 * Product names admins know, for the part numbers Graph returns (Microsoft publishes the full list as a CSV; these
 * are the common ones). Unknown part numbers are shown as they are.
 */
export const PRODUCT_NAMES: Record<string, string> = {
  ENTERPRISEPREMIUM: 'Office 365 E5',
  ENTERPRISEPACK: 'Office 365 E3',
  STANDARDPACK: 'Office 365 E1',
  SPE_E5: 'Microsoft 365 E5',
  SPE_E3: 'Microsoft 365 E3',
  SPE_F1: 'Microsoft 365 F3',
  SPB: 'Microsoft 365 Business Premium',
  O365_BUSINESS_PREMIUM: 'Microsoft 365 Business Standard',
  O365_BUSINESS_ESSENTIALS: 'Microsoft 365 Business Basic',
  MCOEV: 'Microsoft Teams Phone Standard',
  MCOMEETADV: 'Microsoft 365 Audio Conferencing',
  PHONESYSTEM_VIRTUALUSER: 'Microsoft Teams Phone Resource Account',
  Microsoft_Teams_Premium: 'Microsoft Teams Premium',
  EMS: 'Enterprise Mobility + Security E3',
  EMSPREMIUM: 'Enterprise Mobility + Security E5',
  AAD_PREMIUM: 'Microsoft Entra ID P1',
  AAD_PREMIUM_P2: 'Microsoft Entra ID P2',
  POWER_BI_PRO: 'Power BI Pro',
  FLOW_FREE: 'Power Automate Free',
};

export function skuLabel(sku: Pick<SubscribedSku, 'skuPartNumber'>): string {
  const product = PRODUCT_NAMES[sku.skuPartNumber];
  return product ? `${product} (${sku.skuPartNumber})` : sku.skuPartNumber;
}

export const SKU_FIELDS = [
  'skuId',
  'skuPartNumber',
  'capabilityStatus',
  'consumedUnits',
  'prepaidUnits',
  'servicePlans',
];

const SKUS_PATH = withQuery('/subscribedSkus', { $select: SKU_FIELDS });

/** The tenant's subscriptions (one response: a tenant has a handful, Graph does not page them). */
export async function fetchSkus(graph: GraphApi): Promise<SubscribedSku[]> {
  return (await graph.get<{ value: SubscribedSku[] }>(SKUS_PATH)).body.value ?? [];
}

/** The same read as a `$batch` lookup, to travel with the user's lookup in one round trip. */
export function skusLookup(): Lookup<SubscribedSku[]> {
  return {
    steps: [{ id: 'skus', method: 'GET', url: SKUS_PATH }],
    pick: (results) => stepBody<{ value: SubscribedSku[] }>(results, 'skus').value ?? [],
  };
}

/** A SKU by part number (case-insensitive) or skuId, among those given; otherwise a not-found that lists them. */
export function findSku<T extends Pick<SubscribedSku, 'skuId' | 'skuPartNumber'>>(
  skus: readonly T[],
  typed: string,
  where: string,
): T {
  const wanted = typed.trim().toLowerCase();
  const sku = skus.find((s) =>
    isGuid(wanted) ? s.skuId.toLowerCase() === wanted : s.skuPartNumber.toLowerCase() === wanted,
  );
  if (sku) return sku;
  const known = skus.map((s) => s.skuPartNumber).join(', ') || 'none';
  throw new NotFoundError(`No license "${typed}" ${where}. Part numbers there: ${known}.`);
}

/** Seats still free: prepaid enabled units minus those assigned. */
export function freeUnits(sku: SubscribedSku): number {
  return Math.max(0, (sku.prepaidUnits?.enabled ?? 0) - (sku.consumedUnits ?? 0));
}
