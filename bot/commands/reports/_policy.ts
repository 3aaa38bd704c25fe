import { withQuery } from '../../graph/odata.js';
import { forEachPage, newTraffic } from './_engine.js';
import { fmt, pct, trafficLine, type Bar } from './_card.js';
import { csvName, type ReportResult, type ReportRun } from './_run.js';

/** Graph's largest page of teamsUserConfiguration; only the properties the report reads. */
export const CONFIG_PATH = withQuery('/admin/teams/userConfigurations', {
  $select: 'id,userPrincipalName,effectivePolicyAssignments',
  $top: 999,
});

/** The org-wide default a user has when nothing is assigned to them directly or through a group. */
export const TENANT_DEFAULT = 'Global';

export type PolicySource = 'direct' | 'group' | 'tenant default';

export interface UserConfiguration {
  id: string;
  userPrincipalName?: string;
  effectivePolicyAssignments?: Array<{
    policyType?: string;
    policyAssignment?: { assignmentType?: string; displayName?: string; groupId?: string | null };
  }>;
}

export const POLICY_CSV_HEADER = ['id', 'userPrincipalName', 'policyType', 'policy', 'source', 'groupId'];

/** A user's effective policy of `type` and where it comes from (nothing listed = the tenant default). */
export function effectivePolicy(
  user: UserConfiguration,
  type: string,
): { policy: string; source: PolicySource; groupId: string } {
  const found = user.effectivePolicyAssignments?.find((a) => a.policyType?.toLowerCase() === type.toLowerCase());
  if (!found?.policyAssignment) return { policy: TENANT_DEFAULT, source: 'tenant default', groupId: '' };
  const { assignmentType, displayName, groupId } = found.policyAssignment;
  return {
    policy: displayName || '(unnamed policy)',
    source: assignmentType === 'group' ? 'group' : 'direct',
    groupId: groupId ?? '',
  };
}

type Counts = Map<string, number>;
const bump = (map: Counts, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/**
 * Effective Teams policies of every user, one pass over userConfigurations: with a type, counts per policy and per
 * source (direct / group / tenant default); without one, the non-default policies of every type seen.
 */
export async function computePolicies(run: ReportRun, type: string | undefined): Promise<ReportResult> {
  const started = Date.now();
  const traffic = newTraffic();
  let users = 0;
  const byPolicy: Counts = new Map();
  const bySource: Counts = new Map();
  /** Without a type: type → policy → users (assigned directly or by group). */
  const byType = new Map<string, Counts>();
  await forEachPage<UserConfiguration>(
    run.ctx,
    CONFIG_PATH,
    (page) => {
      for (const user of page) {
        users++;
        if (type) {
          const { policy, source, groupId } = effectivePolicy(user, type);
          bump(byPolicy, policy);
          bump(bySource, source);
          run.csv?.add([[user.id, user.userPrincipalName ?? '', type, policy, source, groupId]]);
          continue;
        }
        for (const a of user.effectivePolicyAssignments ?? []) {
          if (!a.policyType) continue;
          const counts = byType.get(a.policyType) ?? new Map<string, number>();
          byType.set(a.policyType, counts);
          const { policy, source, groupId } = effectivePolicy(user, a.policyType);
          bump(counts, policy);
          run.csv?.add([[user.id, user.userPrincipalName ?? '', a.policyType, policy, source, groupId]]);
        }
      }
      run.progress.report(`Read the Teams configuration of ${fmt(users)} users…`);
    },
    traffic,
  );
  return type
    ? typedResult(type, users, byPolicy, bySource, traffic, started)
    : allTypesResult(users, byType, traffic, started);
}

const drill = (type: string, policy: string) => `policy report ${type} --policy "${policy.replace(/"/g, "'")}"`;

function typedResult(
  type: string,
  users: number,
  byPolicy: Counts,
  bySource: Counts,
  traffic: ReturnType<typeof newTraffic>,
  started: number,
): ReportResult {
  const defaults = bySource.get('tenant default') ?? 0;
  const policies = [...byPolicy].sort((a, b) => b[1] - a[1]);
  const [topPolicy, topCount] = policies[0] ?? [TENANT_DEFAULT, 0];
  const sourceBars: Bar[] = (['direct', 'group', 'tenant default'] as const).map((source) => ({
    label: source,
    count: bySource.get(source) ?? 0,
    open: `policy report ${type} --csv`,
    style: source === 'direct' ? 'warning' : source === 'group' ? 'accent' : 'good',
  }));
  const text =
    `${type}: ${fmt(users)} users, ${fmt(byPolicy.size)} policies in effect; ` +
    policies.map(([name, count]) => `${name} ${fmt(count)}`).join(', ') +
    `; sources: direct ${fmt(bySource.get('direct') ?? 0)}, group ${fmt(bySource.get('group') ?? 0)}, tenant ` +
    `default ${fmt(defaults)}.`;
  return {
    text,
    snapshot: {
      counts: {
        users,
        ...Object.fromEntries(policies.map(([name, count]) => [`policy:${name}`, count])),
        ...Object.fromEntries([...bySource].map(([source, count]) => [`source:${source}`, count])),
      },
      risky: {},
    },
    csv: { name: csvName(`policy-report-${type}`), description: `${type} of ${fmt(users)} users` },
    view: {
      title: `Teams policies: ${type}`,
      subtitle: trafficLine(traffic, started),
      headline: {
        value: fmt(byPolicy.size),
        label:
          `policies in effect for ${fmt(users)} users · most common: ${topPolicy} (${pct(topCount, users)}) · ` +
          `${fmt(users - defaults)} not on the tenant default`,
        color: 'Accent',
      },
      note:
        users > 0 && defaults === users
          ? `No user has a ${type} assigned directly or through a group: everyone has the tenant default. If you ` +
            `expected assignments, check the policy type's spelling.`
          : '',
      sections: [
        {
          title: 'Users per policy',
          of: users,
          bars: policies.map(([name, count]) => ({ label: name, count, open: drill(type, name) })),
        },
        { title: 'Where it comes from', of: users, bars: sourceBars },
      ],
      topTitle: 'Who has which policy',
      top: policies.map(([name, count]) => ({
        title: name,
        detail: `${fmt(count)} users · ${pct(count, users)}`,
        badge: 'List',
        badgeColor: 'Accent',
        open: drill(type, name),
      })),
    },
  };
}

function allTypesResult(
  users: number,
  byType: Map<string, Counts>,
  traffic: ReturnType<typeof newTraffic>,
  started: number,
): ReportResult {
  const types = [...byType].sort((a, b) => a[0].localeCompare(b[0]));
  const assigned = (counts: Counts) => [...counts.values()].reduce((a, b) => a + b, 0);
  const text =
    `Teams policies of ${fmt(users)} users: ` +
    (types.length
      ? types.map(([type, counts]) => `${type} ${fmt(assigned(counts))} assigned`).join(', ')
      : 'everyone has the tenant defaults') +
    '.';
  return {
    text,
    snapshot: {
      counts: { users, ...Object.fromEntries(types.map(([type, counts]) => [`assigned:${type}`, assigned(counts)])) },
      risky: {},
    },
    csv: { name: csvName('policy-report'), description: `Teams policies assigned to ${fmt(users)} users` },
    view: {
      title: 'Teams policies',
      subtitle: trafficLine(traffic, started),
      headline: {
        value: fmt(types.length),
        label: `policy types assigned beyond the tenant default, across ${fmt(users)} users`,
        color: 'Accent',
      },
      sections: types.slice(0, 6).map(([type, counts]) => ({
        title: `${type} (not default: ${fmt(assigned(counts))} users)`,
        of: users,
        bars: [...counts].map(([name, count]) => ({ label: name, count, open: drill(type, name) })),
      })),
      topTitle: 'Each type in detail',
      top: types.map(([type, counts]) => ({
        title: type,
        detail: `${fmt(assigned(counts))} users not on the tenant default · ${fmt(counts.size)} policies`,
        badge: 'Report',
        badgeColor: 'Accent',
        open: `policy report ${type}`,
      })),
    },
  };
}
