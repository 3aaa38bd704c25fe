import { effectiveStatus } from '../../approvals/repository.js';
import { sessionOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { approvalsOf } from './_service.js';
import { noArgs } from '../_lib/args.js';

export default defineCommand({
  name: 'approvals',
  summary: 'Lists approval requests waiting for you, and the ones you asked for.',
  usage: 'approvals',
  examples: ['approvals'],
  args: noArgs,
  tier: 'read',
  scopes: [],
  async run(ctx) {
    const session = sessionOf(ctx);
    const { waiting, mine } = await approvalsOf(ctx).forUser(session.oid, session.tenantId);
    const items = [
      ...waiting.map((r) => ({
        title: `${r.id} · ${r.command_text}`,
        detail: `asked by ${r.requester_upn} · ${r.justification}`,
        badge: 'Waiting for you',
        badgeColor: 'Warning',
        open: `approval ${r.id}`,
      })),
      ...mine.map((r) => ({
        title: `${r.id} · ${r.command_text}`,
        detail: `asked by you · ${r.justification}`,
        badge: effectiveStatus(r),
        badgeColor:
          effectiveStatus(r) === 'succeeded' ? 'Good' : effectiveStatus(r) === 'pending' ? 'Warning' : 'Default',
        open: `approval ${r.id}`,
      })),
    ];
    return {
      card: 'list',
      data: {
        title: 'Approvals',
        subtitle: `${waiting.length} waiting for you · ${mine.length} asked by you`,
        empty: 'No approval requests for you or from you.',
        items,
        more: '',
      },
      text: `${waiting.length} approval request(s) waiting for you; ${mine.length} asked by you.`,
    };
  },
});
