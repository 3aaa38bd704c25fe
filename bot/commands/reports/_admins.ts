import { withQuery } from '../../graph/odata.js';
import { batchGet, forEachPage, newTraffic, type Traffic } from './_engine.js';
import { fmt, trafficLine, type Bar } from './_card.js';
import { isLicenceError } from './_mfa.js';
import { csvName, type ReportResult, type ReportRun } from './_run.js';

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
/** Microsoft's guidance: fewer than five Global Administrators, and at least two (break-glass). */
export const GA_RECOMMENDED = { min: 2, max: 4 };

export const ADMINS_CSV_HEADER = [
  'id',
  'userPrincipalName',
  'displayName',
  'role',
  'howHeld',
  'until',
  'mfa',
  'methods',
  'lastSignIn',
  'accountEnabled',
];

type HowHeld = 'permanent' | 'activated (PIM)' | 'eligible (PIM)';

interface Grant {
  principalId: string;
  roleDefinitionId: string;
  assignmentType?: string | null;
  endDateTime?: string | null;
}

interface Holder {
  id: string;
  upn: string;
  displayName: string;
  roles: Array<{ role: string; roleId: string; how: HowHeld; until: string }>;
  mfa?: boolean;
  methods: string[];
  lastSignIn: string;
  accountEnabled?: boolean;
}

const NOT_MFA = new Set([
  'passwordAuthenticationMethod',
  'emailAuthenticationMethod',
  'temporaryAccessPassAuthenticationMethod',
]);

/**
 * Every directory role holder, active (permanent or PIM-activated) and PIM-eligible, with their MFA methods and
 * last sign-in: role holders are few, so each one's details are read in $batches (two requests per holder).
 */
export async function computeAdmins(run: ReportRun): Promise<ReportResult> {
  const started = Date.now();
  const traffic = newTraffic();
  const roleNames = new Map<string, string>();
  await forEachPage<{ id: string; templateId?: string; displayName?: string }>(
    run.ctx,
    withQuery('/roleManagement/directory/roleDefinitions', { $select: 'id,templateId,displayName' }),
    (defs) => defs.forEach((d) => roleNames.set(d.templateId ?? d.id, d.displayName ?? d.id)),
    traffic,
  );
  const holders = new Map<string, Holder>();
  const add = (grant: Grant, how: HowHeld) => {
    const holder = holders.get(grant.principalId) ?? {
      id: grant.principalId,
      upn: grant.principalId,
      displayName: '',
      roles: [],
      methods: [],
      lastSignIn: '',
    };
    holder.roles.push({
      role: roleNames.get(grant.roleDefinitionId) ?? grant.roleDefinitionId,
      roleId: grant.roleDefinitionId,
      how,
      until: grant.endDateTime ?? '',
    });
    holders.set(grant.principalId, holder);
  };
  let pim = true;
  try {
    await forEachPage<Grant>(
      run.ctx,
      withQuery('/roleManagement/directory/roleAssignmentScheduleInstances', { $top: 999 }),
      (grants) => grants.forEach((g) => add(g, g.assignmentType === 'Activated' ? 'activated (PIM)' : 'permanent')),
      traffic,
    );
    await forEachPage<Grant>(
      run.ctx,
      withQuery('/roleManagement/directory/roleEligibilityScheduleInstances', { $top: 999 }),
      (grants) => grants.forEach((g) => add(g, 'eligible (PIM)')),
      traffic,
    );
  } catch (err) {
    // Without Entra ID P2 there is no PIM: the active assignments are all there is.
    if (!isLicenceError(err)) throw err;
    pim = false;
    holders.clear();
    await forEachPage<Grant>(
      run.ctx,
      withQuery('/roleManagement/directory/roleAssignments', { $top: 999 }),
      (grants) => grants.forEach((g) => add(g, 'permanent')),
      traffic,
    );
  }
  run.progress.report(`Reading MFA and sign-ins of ${fmt(holders.size)} role holders…`);
  await readHolderDetails(run, [...holders.values()], traffic);
  for (const holder of holders.values())
    run.csv?.add(
      holder.roles.map((r) => [
        holder.id,
        holder.upn,
        holder.displayName,
        r.role,
        r.how,
        r.until,
        holder.mfa === undefined ? 'unknown' : holder.mfa,
        holder.methods,
        holder.lastSignIn,
        holder.accountEnabled ?? '',
      ]),
    );
  return adminsResult([...holders.values()], traffic, started, pim);
}

/** Account, last sign-in and MFA methods of each holder; a failed look-up leaves "unknown", not a failed report. */
async function readHolderDetails(run: ReportRun, holders: Holder[], traffic: Traffic): Promise<void> {
  const urls = holders.flatMap((h) => [
    withQuery(`/users/${encodeURIComponent(h.id)}`, {
      $select: 'id,userPrincipalName,displayName,accountEnabled,signInActivity',
    }),
    `/users/${encodeURIComponent(h.id)}/authentication/methods`,
  ]);
  await batchGet(
    run.ctx,
    urls,
    (index, result) => {
      const holder = holders[Math.floor(index / 2)];
      if (result.status !== 200) return;
      if (index % 2 === 0) {
        const user = result.body as {
          userPrincipalName?: string;
          displayName?: string;
          accountEnabled?: boolean;
          signInActivity?: { lastSignInDateTime?: string | null };
        };
        holder.upn = user.userPrincipalName ?? holder.upn;
        holder.displayName = user.displayName ?? '';
        holder.accountEnabled = user.accountEnabled;
        holder.lastSignIn = user.signInActivity?.lastSignInDateTime ?? '';
      } else {
        const types = ((result.body as { value?: Array<{ '@odata.type'?: string }> }).value ?? []).map((m) =>
          String(m['@odata.type'] ?? '').replace('#microsoft.graph.', ''),
        );
        holder.methods = types.filter((t) => !NOT_MFA.has(t)).map((t) => t.replace(/AuthenticationMethod$/, ''));
        holder.mfa = holder.methods.length > 0;
      }
    },
    traffic,
  );
}

function adminsResult(holders: Holder[], traffic: Traffic, started: number, pim: boolean): ReportResult {
  const gas = holders.filter((h) => h.roles.some((r) => r.roleId === GLOBAL_ADMINISTRATOR));
  const gaActive = gas.filter((h) =>
    h.roles.some((r) => r.roleId === GLOBAL_ADMINISTRATOR && r.how !== 'eligible (PIM)'),
  );
  const withoutMfa = holders.filter((h) => h.mfa === false);
  const gaOk = gas.length >= GA_RECOMMENDED.min && gas.length <= GA_RECOMMENDED.max;
  const perRole = new Map<string, number>();
  const perHow = new Map<HowHeld, number>();
  for (const h of holders)
    for (const r of h.roles) {
      perRole.set(r.role, (perRole.get(r.role) ?? 0) + 1);
      perHow.set(r.how, (perHow.get(r.how) ?? 0) + 1);
    }
  const roleBars: Bar[] = [...perRole].map(([role, count]) => ({
    label: role,
    count,
    open: `role members ${role}`,
    style: role === 'Global Administrator' ? 'attention' : 'accent',
  }));
  const howBars: Bar[] = [...perHow].map(([how, count]) => ({
    label: how,
    count,
    open: 'admins report --csv',
    style: how === 'permanent' ? 'warning' : 'good',
  }));
  // Admins without MFA first, then Global Administrators, then by name.
  const ordered = [...holders].sort(
    (a, b) =>
      Number(a.mfa !== false) - Number(b.mfa !== false) ||
      Number(!gas.includes(a)) - Number(!gas.includes(b)) ||
      a.upn.localeCompare(b.upn),
  );
  const gaLine =
    `Global Administrators: ${gas.length} (${gaActive.length} active, ${gas.length - gaActive.length} eligible ` +
    `only); Microsoft recommends ${GA_RECOMMENDED.min}–${GA_RECOMMENDED.max}`;
  const text = `${fmt(holders.length)} role holders; ${gaLine}; ${fmt(withoutMfa.length)} without MFA.`;
  return {
    text,
    snapshot: {
      counts: {
        holders: holders.length,
        globalAdmins: gas.length,
        withoutMfa: withoutMfa.length,
        eligibleOnly: holders.filter((h) => h.roles.every((r) => r.how === 'eligible (PIM)')).length,
      },
      risky: {
        adminsWithoutMfa: Object.fromEntries(withoutMfa.map((h) => [h.id, h.upn])),
        globalAdmins: Object.fromEntries(gas.map((h) => [h.id, h.upn])),
      },
    },
    csv: { name: csvName('admins-report'), description: `${fmt(holders.length)} directory role holders` },
    view: {
      title: 'Privileged roles',
      subtitle: trafficLine(traffic, started),
      headline: {
        value: fmt(gas.length),
        label:
          `Global Administrators (Microsoft recommends ${GA_RECOMMENDED.min}–${GA_RECOMMENDED.max}) · ` +
          `${fmt(holders.length)} role holders · ${fmt(withoutMfa.length)} without MFA`,
        color: gaOk && withoutMfa.length === 0 ? 'Good' : 'Attention',
      },
      note: [
        gaOk ? '' : `${gaLine}.`,
        pim ? '' : 'No Entra ID P2 (PIM): only active assignments are shown; eligibility does not exist without PIM.',
      ]
        .filter(Boolean)
        .join(' '),
      sections: [
        { title: 'Holders per role', bars: roleBars },
        { title: 'How roles are held', bars: howBars },
      ],
      topTitle: 'Role holders (without MFA first)',
      top: ordered.map((h) => ({
        title: h.upn,
        detail: `${h.roles.map((r) => `${r.role} (${r.how})`).join(', ')} · last sign-in ${h.lastSignIn ? h.lastSignIn.slice(0, 10) : 'unknown'}`,
        badge: h.mfa === undefined ? 'MFA ?' : h.mfa ? 'MFA' : 'No MFA',
        badgeColor: h.mfa === false ? 'Attention' : h.mfa ? 'Good' : 'Warning',
        open: `user mfa ${h.upn}`,
      })),
    },
  };
}
