import { z } from 'zod';
import { isGuid, odataLiteral, withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { cursorArg, fetchListPage } from '../_lib/list.js';
import { listOutput } from '../_lib/list-card.js';
import { describeMinutes, durationArg, durationFlag, odataDateTime, utcText } from '../_lib/time-args.js';
import { resolveUser } from '../_lib/users.js';
import { defineCommand, type CommandContext } from '../types.js';
import { userArg } from '../_lib/args.js';

const PAGE_SIZE = 25;
const DEFAULT_SINCE_MINUTES = 24 * 60;
/** Entra keeps directory audits 30 days (7 without a premium licence): further back there is nothing to find. */
const MAX_SINCE_MINUTES = 30 * 24 * 60;

interface DirectoryAudit {
  id: string;
  activityDisplayName: string;
  activityDateTime: string;
  category?: string;
  result?: string;
  resultReason?: string;
  initiatedBy?: {
    user?: { userPrincipalName?: string | null; displayName?: string | null } | null;
    app?: { displayName?: string | null } | null;
  };
  targetResources?: Array<{ displayName?: string | null; userPrincipalName?: string | null; type?: string | null }>;
}

/** `--user`: a UPN or id filters directly; a name is resolved to the user's UPN first (one more round trip). */
async function initiatorClause(ctx: CommandContext, typed: string): Promise<{ clause: string; label: string }> {
  if (isGuid(typed)) return { clause: `initiatedBy/user/id eq ${odataLiteral(typed)}`, label: typed };
  const upn = typed.includes('@') ? typed : String((await resolveUser(graphOf(ctx), typed)).userPrincipalName);
  return { clause: `initiatedBy/user/userPrincipalName eq ${odataLiteral(upn)}`, label: upn };
}

function initiator(a: DirectoryAudit): string {
  return a.initiatedBy?.user?.userPrincipalName ?? a.initiatedBy?.app?.displayName ?? 'system';
}

function targets(a: DirectoryAudit): string {
  const names = (a.targetResources ?? []).map((t) => t.userPrincipalName ?? t.displayName).filter(Boolean);
  return names.length ? ` · on ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}` : '';
}

export default defineCommand({
  name: 'directory audit',
  summary: "Entra ID's directory audit log (who changed what), newest first, optionally for changes made by one user.",
  usage: 'directory audit [--user <upn | id | name>] [--since 24h]',
  examples: ['directory audit', 'directory audit --user admin@contoso.onmicrosoft.com --since 7d'],
  args: {
    positional: [],
    schema: z
      .object({
        user: userArg.optional(),
        since: durationArg({ min: 1, max: MAX_SINCE_MINUTES }).optional(),
        ...cursorArg,
      })
      .strict(),
  },
  tier: 'read',
  scopes: ['AuditLog.Read.All', 'Directory.Read.All'],
  // Works app-only (no /me, nothing of the admin's session): may run as the reports app (schedule add).
  schedulable: { appScopes: ['AuditLog.Read.All', 'Directory.Read.All'] },
  async run(ctx, args) {
    const minutes = args.since ?? DEFAULT_SINCE_MINUTES;
    let path = '';
    let who = args.user;
    if (!args.cursor) {
      const clauses = [`activityDateTime ge ${odataDateTime(Date.now() - minutes * 60_000)}`];
      if (args.user) {
        const initiatedBy = await initiatorClause(ctx, args.user);
        clauses.push(initiatedBy.clause);
        who = initiatedBy.label;
      }
      path = withQuery('/auditLogs/directoryAudits', {
        $filter: clauses.join(' and '),
        $orderby: 'activityDateTime desc',
        $top: PAGE_SIZE,
      });
    }
    const page = await fetchListPage<DirectoryAudit>(ctx, 'directory audit', path, { cursor: args.cursor });
    const span = `the last ${describeMinutes(minutes)}`;
    return listOutput(page, {
      title: who ? `Directory changes by ${who} in ${span}` : `Directory changes in ${span}`,
      noun: 'audit events',
      empty: `No directory audit events${who ? ` initiated by ${who}` : ''} in ${span}.`,
      row: (a) => {
        const failed = a.result === 'failure';
        return {
          title: a.activityDisplayName,
          detail: `${utcText(a.activityDateTime)} · by ${initiator(a)}${targets(a)}${failed && a.resultReason ? ` · ${a.resultReason}` : ''}`,
          badge: failed ? 'Failed' : a.result === 'success' ? 'Success' : (a.result ?? 'unknown'),
          badgeColor: failed ? 'Attention' : a.result === 'success' ? 'Good' : 'Default',
          open: a.initiatedBy?.user?.userPrincipalName
            ? `directory audit --user ${a.initiatedBy.user.userPrincipalName} --since ${durationFlag(minutes)}`
            : `directory audit --since ${durationFlag(minutes)}`,
        };
      },
    });
  },
});
