import { withQuery } from '../../graph/odata.js';
import { forEachPage, newTraffic } from './_engine.js';
import { fmt, pct, trafficLine, type Bar } from './_card.js';
import { csvName, type ReportResult, type ReportRun } from './_run.js';

export const LICENSES_CSV_HEADER = ['id', 'userPrincipalName', 'skus', 'errors'];

interface Sku {
  skuId: string;
  skuPartNumber?: string;
  consumedUnits?: number;
  capabilityStatus?: string;
  prepaidUnits?: { enabled?: number };
}

interface LicensedUser {
  id: string;
  userPrincipalName?: string;
  assignedLicenses?: Array<{ skuId: string }>;
  licenseAssignmentStates?: Array<{ skuId?: string; state?: string; error?: string }>;
}

/**
 * Seats per SKU (consumed, unassigned), then one pass over users for the ones whose licence assignment failed
 * (licenseAssignmentStates with state Error: group-based licensing that could not apply).
 */
export async function computeLicenses(run: ReportRun): Promise<ReportResult> {
  const started = Date.now();
  const traffic = newTraffic();
  const skus: Sku[] = [];
  await forEachPage<Sku>(run.ctx, '/subscribedSkus', (page) => void skus.push(...page), traffic);
  const names = new Map(skus.map((s) => [s.skuId, s.skuPartNumber ?? s.skuId]));
  let users = 0;
  let licensed = 0;
  const errors: Record<string, string> = {};
  const errorKinds = new Map<string, number>();
  await forEachPage<LicensedUser>(
    run.ctx,
    withQuery('/users', { $select: 'id,userPrincipalName,assignedLicenses,licenseAssignmentStates', $top: 999 }),
    (page) => {
      for (const user of page) {
        users++;
        const assigned = user.assignedLicenses ?? [];
        if (assigned.length) licensed++;
        const failed = (user.licenseAssignmentStates ?? []).filter((s) => s.state === 'Error');
        for (const f of failed) errorKinds.set(f.error ?? 'Unknown', (errorKinds.get(f.error ?? 'Unknown') ?? 0) + 1);
        if (failed.length) errors[user.id] = user.userPrincipalName ?? user.id;
        if (assigned.length || failed.length)
          run.csv?.add([
            [
              user.id,
              user.userPrincipalName ?? '',
              assigned.map((l) => names.get(l.skuId) ?? l.skuId),
              failed.map((f) => `${names.get(f.skuId ?? '') ?? f.skuId}: ${f.error}`),
            ],
          ]);
      }
      run.progress.report(`Read the licences of ${fmt(users)} users…`);
    },
    traffic,
  );
  const enabled = (s: Sku) => s.prepaidUnits?.enabled ?? 0;
  const unassigned = skus.reduce((sum, s) => sum + Math.max(0, enabled(s) - (s.consumedUnits ?? 0)), 0);
  const seats = skus.reduce((sum, s) => sum + enabled(s), 0);
  const errorUsers = Object.entries(errors);
  const skuBars: Bar[] = skus.map((s) => ({
    label: `${names.get(s.skuId)} (${fmt(s.consumedUnits ?? 0)} of ${fmt(enabled(s))})`,
    count: s.consumedUnits ?? 0,
    open: 'licenses',
    style: (s.consumedUnits ?? 0) >= enabled(s) ? 'attention' : 'accent',
  }));
  const text =
    `Licences: ${fmt(seats - unassigned)} of ${fmt(seats)} seats used, ${fmt(unassigned)} unassigned; ` +
    skus.map((s) => `${names.get(s.skuId)} ${fmt(s.consumedUnits ?? 0)}/${fmt(enabled(s))}`).join(', ') +
    `; ${fmt(errorUsers.length)} users with licence assignment errors.`;
  return {
    text,
    snapshot: {
      counts: { seats, unassigned, licensedUsers: licensed, usersWithErrors: errorUsers.length },
      risky: { usersWithLicenceErrors: errors },
    },
    csv: { name: csvName('licenses-report'), description: `Licences of ${fmt(licensed)} users` },
    view: {
      title: 'Licences',
      subtitle: trafficLine(traffic, started),
      headline: {
        value: fmt(unassigned),
        label:
          `unassigned seats of ${fmt(seats)} (${pct(unassigned, seats)}) · ${fmt(licensed)} of ${fmt(users)} users ` +
          `licensed · ${fmt(errorUsers.length)} with assignment errors`,
        color: errorUsers.length ? 'Attention' : 'Accent',
      },
      sections: [
        { title: 'Seats used per SKU', bars: skuBars },
        {
          title: 'Assignment errors',
          bars: [...errorKinds].map(([kind, count]) => ({
            label: kind,
            count,
            open: 'licenses report --csv',
            style: 'attention',
          })),
        },
      ],
      topTitle: errorUsers.length ? 'Users with licence assignment errors' : '',
      top: errorUsers.map(([, upn]) => ({
        title: upn,
        detail: 'a licence could not be assigned',
        badge: 'Error',
        badgeColor: 'Attention',
        open: `user licenses ${upn}`,
      })),
    },
  };
}
