import { z } from 'zod';
import { listOutput } from '../_lib/list-card.js';
import { graphOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { fetchRoleDefinitions } from './_roles.js';

/** Rows on one card; Graph returns every definition at once, so more than this asks the admin to narrow. */
const MAX_ROWS = 50;

export default defineCommand({
  name: 'roles',
  area: 'roles',
  summary: 'Lists the directory roles (built-in and custom); add text to keep those whose name contains it.',
  usage: 'roles [text...]',
  examples: ['roles', 'roles admin'],
  args: { positional: ['text...'], schema: z.object({ text: z.string().trim().max(100).optional() }).strict() },
  tier: 'read',
  scopes: ['RoleManagement.Read.Directory'],
  requiresSignIn: true,
  card: 'list',
  async run(ctx, args) {
    const all = await fetchRoleDefinitions(graphOf(ctx), ['id', 'displayName', 'description', 'isBuiltIn', 'isEnabled']);
    const wanted = args.text?.toLowerCase();
    const matching = (wanted ? all.filter((r) => r.displayName.toLowerCase().includes(wanted)) : all).sort((a, b) =>
      a.displayName.localeCompare(b.displayName),
    );
    const narrow = matching.length > MAX_ROWS ? ' Type "roles <text>" to narrow the list.' : '';
    return listOutput(
      { items: matching.slice(0, MAX_ROWS), total: matching.length, page: 1, more: '' },
      {
        title: wanted ? `Directory roles matching "${args.text}"` : 'Directory roles',
        noun: 'roles',
        empty: wanted ? `No role's name contains "${args.text}".` : 'This tenant has no role definitions.',
        row: (r) => ({
          title: r.displayName,
          detail: `${r.description ?? ''}${narrow}`.trim() || r.id,
          badge: r.isEnabled === false ? 'Disabled' : r.isBuiltIn === false ? 'Custom' : 'Built-in',
          badgeColor: r.isEnabled === false ? 'Attention' : r.isBuiltIn === false ? 'Accent' : 'Default',
          open: `role members "${r.displayName}"`,
        }),
      },
    );
  },
});
