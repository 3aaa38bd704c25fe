import { z } from 'zod';
import { CodedError, ErrorCode } from '../../errors.js';
import { defineCommand } from '../types.js';

const SINCE = /^(\d{1,4})([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export default defineCommand({
  name: 'audit',
  summary: "Shows the bot's recent audit records: who ran what, with which MFA, and the outcome.",
  usage: 'audit [--user <upn>] [--since <n>m|h|d]',
  examples: ['audit', 'audit --user admin@contoso.onmicrosoft.com --since 24h'],
  args: {
    positional: [],
    schema: z
      .object({
        user: z.string().trim().min(3).optional(),
        since: z.string().regex(SINCE, 'use a number and m, h or d, e.g. 24h').default('24h'),
      })
      .strict(),
  },
  tier: 'read',
  scopes: [],
  async run(ctx, args) {
    const audit = ctx.services.audit;
    if (!audit) throw new CodedError(ErrorCode.Internal, 'The audit log is not configured.');
    const [, amount, unit] = SINCE.exec(args.since)!;
    const since = Date.now() - Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    const records = await audit.recent({ actorUpn: args.user, since, limit: 25 });
    const items = records.map((r) => {
      const mfa = r.mfa ? (JSON.parse(r.mfa) as { amr?: string[]; acrs?: string[] }) : undefined;
      const withMfa = mfa && (mfa.amr?.includes('mfa') || (mfa.acrs?.length ?? 0) > 0);
      const failed = /fail|refused|denied|rejected|unknown/.test(r.outcome);
      return {
        title: `${new Date(Number(r.at)).toISOString().slice(0, 19).replace('T', ' ')} · ${r.command ?? r.action}`,
        detail: `#${r.seq} ${r.action} by ${r.actor_upn ?? r.actor_aad_id}${r.tier ? ` · ${r.tier}` : ''}${withMfa ? ' · MFA ✓' : ''}`,
        badge: r.outcome,
        badgeColor: failed ? 'Attention' : r.outcome === 'started' ? 'Warning' : 'Good',
        open: `audit --since ${args.since}`,
      };
    });
    const who = args.user ? ` for ${args.user}` : '';
    return {
      card: 'list',
      data: {
        title: `Audit${who}, last ${args.since}`,
        subtitle: `${items.length} most recent record(s), newest first`,
        empty: `No audit records${who} in the last ${args.since}.`,
        items,
        more: '',
      },
      text: `${items.length} audit record(s)${who} in the last ${args.since}.`,
    };
  },
});
