import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CodedError, ErrorCode, UsageError } from '../../errors.js';
import { cursorArg } from '../_lib/list.js';
import { listOutput } from '../_lib/list-card.js';
import { sessionOf } from '../_lib/context.js';
import { policyNameArg, policyTypeArg } from '../voice/_policy.js';
import { defineCommand, type CommandContext } from '../types.js';
import { forEachPage, newTraffic } from './_engine.js';
import { CONFIG_PATH, POLICY_CSV_HEADER, computePolicies, effectivePolicy, type UserConfiguration } from './_policy.js';
import { csvArg, runReport, type ReportDefinition } from './_run.js';

const SCOPES = ['TeamsUserConfiguration.Read.All'];
/** Users per drill-down page. */
const DRILL_PAGE = 25;
const CURSOR_TTL_MS = 30 * 60_000;

type Args = { type?: string; policy?: string; cursor?: string; csv?: boolean };

export const policyReport: ReportDefinition<Args> = {
  command: 'policy report',
  title: 'Teams policies',
  csvHeader: POLICY_CSV_HEADER,
  variant: (args) => (args.type ?? '').toLowerCase(),
  text: (args) => (args.type ? `policy report ${args.type}` : 'policy report'),
  compute: (run, args) => computePolicies(run, args.type),
};

interface DrillCursor {
  type: string;
  policy: string;
  /** Users of the page at `next_link` already shown. */
  offset: number;
}

/**
 * Who has one policy: pages of userConfigurations are scanned until a page of matches is found; the cursor is the
 * Graph page where it stopped and the offset in it (stored server-side, bound to the admin and the arguments).
 */
async function drillDown(ctx: CommandContext, type: string, policy: string, cursor?: string) {
  const store = ctx.services.store;
  if (!store) throw new CodedError(ErrorCode.Internal, 'Lists need the bot store.');
  const session = sessionOf(ctx);
  let start = CONFIG_PATH;
  let skip = 0;
  let pageNumber = 1;
  if (cursor) {
    const row = await store.db
      .selectFrom('list_cursors')
      .selectAll()
      .where('id', '=', cursor)
      .where('user_aad_id', '=', session.oid)
      .where('command_name', '=', 'policy report')
      .where('expires_at', '>', Date.now())
      .executeTakeFirst();
    const saved = row ? (JSON.parse(row.headers) as DrillCursor) : undefined;
    if (!row || saved?.type !== type || saved.policy !== policy)
      throw new CodedError(ErrorCode.NotFound, 'This list has expired. Run the command again for a fresh first page.');
    start = row.next_link;
    skip = saved.offset;
    pageNumber = Number(row.page);
  }
  const found: Array<{ id: string; upn: string; source: string }> = [];
  let resume: { path: string; offset: number } | undefined;
  await forEachPage<UserConfiguration>(
    ctx,
    start,
    (users, page) => {
      for (let i = skip; i < users.length; i++) {
        const effective = effectivePolicy(users[i], type);
        if (effective.policy.toLowerCase() !== policy.toLowerCase()) continue;
        if (found.length === DRILL_PAGE) {
          resume = { path: page.path, offset: i };
          return 'stop';
        }
        found.push({ id: users[i].id, upn: users[i].userPrincipalName ?? users[i].id, source: effective.source });
      }
      skip = 0;
    },
    newTraffic(),
  );
  let more = '';
  if (resume) {
    const id = randomBytes(12).toString('base64url');
    const now = Date.now();
    const saved: DrillCursor = { type, policy, offset: resume.offset };
    await store.db
      .insertInto('list_cursors')
      .values({
        id,
        user_aad_id: session.oid,
        command_name: 'policy report',
        next_link: resume.path,
        headers: JSON.stringify(saved),
        page: pageNumber + 1,
        created_at: now,
        expires_at: now + CURSOR_TTL_MS,
      })
      .execute();
    more = `policy report ${type} --policy "${policy.replace(/"/g, "'")}" --cursor ${id}`;
  }
  return listOutput(
    { items: found, page: pageNumber, more },
    {
      title: `${type} "${policy}": who has it`,
      noun: 'users',
      empty: `No user has ${type} "${policy}" in effect.`,
      row: (u) => ({
        title: u.upn,
        detail: `from ${u.source}`,
        badge: u.source,
        badgeColor: u.source === 'direct' ? 'Warning' : 'Accent',
        open: `teams config ${u.upn}`,
      }),
    },
  );
}

export default defineCommand({
  name: 'policy report',
  summary: 'Effective Teams policy of every user and its source; --policy lists who has one.',
  usage: 'policy report [<type>] [--policy "<name>"] [--csv]',
  examples: ['policy report', 'policy report TeamsMeetingPolicy', 'policy report TeamsMeetingPolicy --policy "AllOn"'],
  args: {
    positional: ['type'],
    schema: z
      .object({ type: policyTypeArg.optional(), policy: policyNameArg.optional(), ...cursorArg, ...csvArg })
      .strict(),
  },
  tier: 'read',
  scopes: SCOPES,
  schedulable: { appScopes: SCOPES },
  async run(ctx, args) {
    if (args.policy !== undefined || args.cursor !== undefined) {
      if (!args.type || !args.policy)
        throw new UsageError(
          'Name the policy type and the policy: policy report TeamsMeetingPolicy --policy "AllOn".',
          'policy report',
          'policy',
        );
      return drillDown(ctx, args.type, args.policy, args.cursor);
    }
    return runReport(ctx, policyReport, args);
  },
});
