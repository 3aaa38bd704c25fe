import { GraphRequestError } from '../../graph/errors.js';
import { withQuery } from '../../graph/odata.js';
import { batchGet, forEachPage, newTraffic, type Traffic } from './_engine.js';
import { fmt, pct, trafficLine, type Bar } from './_card.js';
import { csvName, type ReportResult, type ReportRun } from './_run.js';

/** Graph's largest page for these collections. */
const PAGE = 999;

export const MFA_CSV_HEADER = [
  'id',
  'userPrincipalName',
  'displayName',
  'department',
  'isAdmin',
  'mfaRegistered',
  'mfaCapable',
  'passwordlessCapable',
  'methods',
];

interface RegistrationRow {
  id: string;
  userPrincipalName: string;
  userDisplayName?: string;
  isAdmin?: boolean;
  isMfaRegistered?: boolean;
  isMfaCapable?: boolean;
  isPasswordlessCapable?: boolean;
  methodsRegistered?: string[];
}

interface UserRow {
  id: string;
  userPrincipalName?: string;
  displayName?: string;
  department?: string | null;
  accountEnabled?: boolean;
}

const NO_DEPARTMENT = '(no department)';
const USERS_QUERY = { $select: 'id,department', $top: PAGE };
/** users/delta takes no $top; it pages at what `Prefer: odata.maxpagesize` asks. */
export const MAX_PAGE_HEADER = { Prefer: `odata.maxpagesize=${PAGE}` };

/** The counters a page folds into; nothing per user is kept except the ids of admins without MFA. */
class MfaTally {
  total = 0;
  capable = 0;
  registered = 0;
  passwordless = 0;
  admins = 0;
  readonly methods = new Map<string, number>();
  readonly adminsWithoutMfa: Record<string, string> = {};
  readonly departments = new Map<string, { total: number; without: number }>();

  add(row: RegistrationRow, department: string, run: ReportRun): void {
    this.total++;
    if (row.isMfaCapable) this.capable++;
    if (row.isMfaRegistered) this.registered++;
    if (row.isPasswordlessCapable) this.passwordless++;
    if (row.isAdmin) this.admins++;
    if (row.isAdmin && !row.isMfaRegistered) this.adminsWithoutMfa[row.id] = row.userPrincipalName;
    for (const method of row.methodsRegistered ?? []) this.methods.set(method, (this.methods.get(method) ?? 0) + 1);
    const dept = this.departments.get(department) ?? { total: 0, without: 0 };
    dept.total++;
    if (!row.isMfaCapable) dept.without++;
    this.departments.set(department, dept);
    run.csv?.add([
      [
        row.id,
        row.userPrincipalName,
        row.userDisplayName ?? '',
        department,
        !!row.isAdmin,
        !!row.isMfaRegistered,
        !!row.isMfaCapable,
        !!row.isPasswordlessCapable,
        row.methodsRegistered ?? [],
      ],
    ]);
  }
}

/** Graph's answer on a tenant without Entra ID P1/P2: the registration report is a premium feature. */
export function isLicenceError(err: unknown): boolean {
  return (
    err instanceof GraphRequestError &&
    err.status === 403 &&
    (/NonPremium|premium/i.test(err.graphCode) || /premium licen[cs]e/i.test(err.message))
  );
}

/**
 * The tenant's MFA posture: from the registration report (one pass over users for departments, one over the
 * report), or — without P1/P2 — from each user's authentication methods in $batches of 20.
 */
export async function computeMfa(
  run: ReportRun,
  watch?: { onUsersDeltaLink: (link: string) => void },
): Promise<ReportResult> {
  const started = Date.now();
  const traffic = newTraffic();
  const tally = new MfaTally();
  let fallback = false;
  const reportPath = withQuery('/reports/authenticationMethods/userRegistrationDetails', { $top: PAGE });
  const departments = new Map<string, string>();
  try {
    // Departments first (the report has none): id → department, the only per-user state kept.
    // For a watch the same pass is a users/delta round (same pages, same cost): its deltaLink lets the next run
    // read only the users that changed.
    await forEachPage<UserRow>(
      run.ctx,
      watch ? withQuery('/users/delta', { $select: 'id,department' }) : withQuery('/users', USERS_QUERY),
      (users, page) => {
        for (const u of users) if (u.department) departments.set(u.id, u.department);
        if (page.deltaLink) watch?.onUsersDeltaLink(page.deltaLink);
        run.progress.report(`Reading departments: ${fmt(traffic.items)} users…`);
      },
      traffic,
      watch ? MAX_PAGE_HEADER : {},
    );
    await forEachPage<RegistrationRow>(
      run.ctx,
      reportPath,
      (rows) => {
        for (const row of rows) tally.add(row, departments.get(row.id) ?? NO_DEPARTMENT, run);
        run.progress.report(`Folded ${fmt(tally.total)} users' registration…`);
      },
      traffic,
    );
  } catch (err) {
    if (!isLicenceError(err) || tally.total > 0) throw err;
    fallback = true;
    departments.clear();
    await computeFromMethods(run, tally, traffic);
  }
  return mfaResult(tally, traffic, started, fallback);
}

const MFA_KINDS: Record<string, string> = {
  microsoftAuthenticatorAuthenticationMethod: 'microsoftAuthenticator',
  phoneAuthenticationMethod: 'mobilePhone',
  fido2AuthenticationMethod: 'fido2',
  softwareOathAuthenticationMethod: 'softwareOneTimePasscode',
  windowsHelloForBusinessAuthenticationMethod: 'windowsHelloForBusiness',
  platformCredentialAuthenticationMethod: 'macOsSecureEnclaveKey',
};
const PASSWORDLESS = new Set(['microsoftAuthenticator', 'fido2', 'windowsHelloForBusiness', 'macOsSecureEnclaveKey']);

/** Without P1/P2: users a page at a time, each page's methods in $batches, admins from role assignments. */
async function computeFromMethods(run: ReportRun, tally: MfaTally, traffic: Traffic): Promise<void> {
  const admins = new Set<string>();
  await forEachPage<{ principalId: string }>(
    run.ctx,
    withQuery('/roleManagement/directory/roleAssignments', { $select: 'principalId', $top: PAGE }),
    (page) => page.forEach((a) => admins.add(a.principalId)),
    traffic,
  );
  await forEachPage<UserRow>(
    run.ctx,
    withQuery('/users', { $select: 'id,userPrincipalName,displayName,department,accountEnabled', $top: PAGE }),
    async (users) => {
      const methods: string[][] = users.map(() => []);
      await batchGet(
        run.ctx,
        users.map((u) => `/users/${encodeURIComponent(u.id)}/authentication/methods`),
        (index, result) => {
          if (result.status !== 200) throw stepError(result.status, result.body);
          const body = result.body as { value?: Array<{ '@odata.type'?: string }> };
          for (const m of body.value ?? []) {
            const kind = MFA_KINDS[String(m['@odata.type'] ?? '').replace('#microsoft.graph.', '')];
            if (kind && !methods[index].includes(kind)) methods[index].push(kind);
          }
        },
        traffic,
      );
      users.forEach((u, index) => {
        const registered = methods[index].length > 0;
        tally.add(
          {
            id: u.id,
            userPrincipalName: u.userPrincipalName ?? u.id,
            userDisplayName: u.displayName,
            isAdmin: admins.has(u.id),
            isMfaRegistered: registered,
            isMfaCapable: registered && u.accountEnabled !== false,
            isPasswordlessCapable: methods[index].some((k) => PASSWORDLESS.has(k)),
            methodsRegistered: methods[index],
          },
          u.department || NO_DEPARTMENT,
          run,
        );
      });
      run.progress.report(`No P1/P2: read the methods of ${fmt(tally.total)} users one by one in batches…`);
    },
    traffic,
  );
}

function stepError(status: number, body: unknown): GraphRequestError {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return new GraphRequestError(
    status,
    error?.code ?? `HTTP${status}`,
    error?.message ?? 'A batched read failed.',
    undefined,
  );
}

function mfaResult(tally: MfaTally, traffic: Traffic, started: number, fallback: boolean): ReportResult {
  const without = tally.total - tally.capable;
  const adminIds = Object.entries(tally.adminsWithoutMfa);
  const methodBars: Bar[] = [...tally.methods].map(([method, count]) => ({
    label: method,
    count,
    open: 'mfa report --csv',
  }));
  const deptBars: Bar[] = [...tally.departments]
    .filter(([, d]) => d.without > 0)
    .map(([dept, d]) => ({
      label: `${dept} (${fmt(d.without)} of ${fmt(d.total)})`,
      count: d.without,
      open: 'mfa report --csv',
      style: 'attention',
    }));
  const headlineShare = tally.total ? tally.capable / tally.total : 1;
  const text =
    `MFA: ${fmt(tally.capable)} of ${fmt(tally.total)} users can do MFA (${pct(tally.capable, tally.total)}); ` +
    `${fmt(adminIds.length)} admins without MFA; ${fmt(tally.passwordless)} passwordless-capable` +
    (fallback ? ' (from each user’s methods: no Entra ID P1/P2)' : '') +
    '.';
  return {
    text,
    snapshot: {
      counts: {
        users: tally.total,
        mfaCapable: tally.capable,
        withoutMfa: without,
        passwordless: tally.passwordless,
        adminsWithoutMfa: adminIds.length,
      },
      risky: { adminsWithoutMfa: tally.adminsWithoutMfa },
    },
    csv: { name: csvName('mfa-report'), description: `MFA registration of ${fmt(tally.total)} users` },
    view: {
      title: 'MFA registration',
      subtitle: trafficLine(traffic, started),
      headline: {
        value: pct(tally.capable, tally.total),
        label:
          `of users can do MFA (${fmt(tally.capable)} of ${fmt(tally.total)}) · ${fmt(without)} cannot · ` +
          `${fmt(tally.passwordless)} passwordless-capable · ${fmt(adminIds.length)} admins without MFA`,
        color: adminIds.length > 0 ? 'Attention' : headlineShare >= 0.95 ? 'Good' : 'Warning',
      },
      note: fallback
        ? 'This tenant has no Entra ID P1/P2, so Graph refused the registration report: these numbers come from ' +
          'each user’s authentication methods, read in $batches of 20 (slower).'
        : '',
      sections: [
        {
          title: 'MFA-capable',
          of: tally.total,
          bars: [
            { label: 'Can do MFA', count: tally.capable, open: 'mfa report --csv', style: 'good' },
            { label: 'Cannot do MFA', count: without, open: 'mfa report --csv', style: 'attention' },
            { label: 'Passwordless-capable', count: tally.passwordless, open: 'mfa report --csv', style: 'accent' },
          ],
        },
        { title: 'Methods registered (users)', of: tally.total, bars: methodBars },
        { title: 'Users without MFA, by department', bars: deptBars },
      ],
      topTitle: adminIds.length ? `Admins without MFA (${fmt(adminIds.length)})` : '',
      top: adminIds.map(([, upn]) => ({
        title: upn,
        detail: 'directory role holder with no MFA method registered',
        badge: 'No MFA',
        badgeColor: 'Attention',
        open: `user mfa ${upn}`,
      })),
      actions: adminIds.length ? [{ title: 'Admins without MFA, with roles', command: 'admins nomfa' }] : [],
    },
  };
}
