import { GraphRequestError } from '../../graph/errors.js';
import { withQuery } from '../../graph/odata.js';
import { fmt, pct } from './_card.js';
import { forEachPage, newTraffic } from './_engine.js';
import { MAX_PAGE_HEADER, computeMfa, isLicenceError } from './_mfa.js';
import type { ReportRun, Snapshot } from './_run.js';

/**
 * A watched `mfa report`, re-run cheaply with Graph's change tracking.
 *
 * Graph has no delta for registration details (`userRegistrationDetails` nor authentication methods), so a re-run
 * cannot learn from Graph which users registered a method. What it can learn cheaply:
 * - which users were created, changed or deleted: `users/delta` from the last run's deltaLink (one request when
 *   nothing changed). Any such user means the counts by user and department may have moved: the run is full.
 * - the risky bucket, admins without MFA, exactly: `userRegistrationDetails?$filter=isAdmin eq true` reads only
 *   role holders (a few pages of 999), so a new admin without MFA, or an admin who lost their methods, is seen on
 *   every run.
 * Registrations by users who are not admins change no user object, so the other counts (MFA-capable, passwordless)
 * are refreshed by a full run every FULL_EVERY runs (a week of daily runs) rather than re-read each time for every
 * user, which is what a re-run costs without delta. Directory role membership has no cheap delta here (the
 * stand-in serves no `directoryRoles/delta`; role assignments are read through the admins filter above instead).
 */
export const FULL_EVERY = 7;
/** Graph's largest page of registration details. */
const ADMIN_PAGE = 999;

interface AdminRow {
  id: string;
  userPrincipalName: string;
  isMfaRegistered?: boolean;
}

export async function watchMfa(
  run: ReportRun,
  previous: Snapshot | undefined,
): Promise<{ text: string; snapshot: Snapshot }> {
  if (previous?.delta && previous.delta.incrementalRuns < FULL_EVERY - 1) {
    const quick = await incremental(run, previous, previous.delta);
    if (quick) return quick;
  }
  let usersLink: string | undefined;
  const result = await computeMfa(run, { onUsersDeltaLink: (link) => (usersLink = link) });
  const snapshot: Snapshot = { ...result.snapshot };
  if (usersLink) snapshot.delta = { usersLink, incrementalRuns: 0 };
  return { text: result.text, snapshot };
}

/** The changes-only run; undefined when it cannot stand in for a full one (users changed, or no P1/P2). */
async function incremental(
  run: ReportRun,
  previous: Snapshot,
  delta: NonNullable<Snapshot['delta']>,
): Promise<{ text: string; snapshot: Snapshot } | undefined> {
  const traffic = newTraffic();
  let changed = 0;
  let usersLink = delta.usersLink;
  try {
    await forEachPage<{ id: string }>(
      run.ctx,
      delta.usersLink,
      (users, page) => {
        changed += users.length;
        if (page.deltaLink) usersLink = page.deltaLink;
        // The link's round is spent once any page is read; a full run starts a fresh one.
        return changed > 0 ? 'stop' : undefined;
      },
      traffic,
      MAX_PAGE_HEADER,
    );
  } catch (err) {
    // Graph answers an expired delta token with 410 (resync required), one it cannot read with 400: start over.
    if (err instanceof GraphRequestError && (err.status === 410 || err.status === 400)) return undefined;
    throw err;
  }
  if (changed > 0) return undefined;
  const adminsWithoutMfa: Record<string, string> = {};
  try {
    await forEachPage<AdminRow>(
      run.ctx,
      withQuery('/reports/authenticationMethods/userRegistrationDetails', {
        $filter: 'isAdmin eq true',
        $top: ADMIN_PAGE,
      }),
      (rows) => {
        for (const row of rows) if (!row.isMfaRegistered) adminsWithoutMfa[row.id] = row.userPrincipalName;
      },
      traffic,
    );
  } catch (err) {
    // Without P1/P2 there is no cheap read of admins' registration: the fallback reads every user anyway.
    if (isLicenceError(err)) return undefined;
    throw err;
  }
  const counts: Record<string, number> = {
    ...previous.counts,
    adminsWithoutMfa: Object.keys(adminsWithoutMfa).length,
  };
  const snapshot: Snapshot = {
    counts,
    risky: { ...previous.risky, adminsWithoutMfa },
    delta: { usersLink, incrementalRuns: delta.incrementalRuns + 1 },
  };
  const text =
    `MFA: ${fmt(counts.mfaCapable ?? 0)} of ${fmt(counts.users ?? 0)} users can do MFA ` +
    `(${pct(counts.mfaCapable ?? 0, counts.users ?? 0)}); ${fmt(counts.adminsWithoutMfa)} admins without MFA ` +
    `(no user changed since the last run: ${traffic.requests} Graph requests).`;
  return { text, snapshot };
}
