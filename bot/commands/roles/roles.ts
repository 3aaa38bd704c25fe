import { z } from 'zod';
import { listOutput } from '../_lib/list-card.js';
import { localPage, pageArg } from '../_lib/local-page.js';
import { graphOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { fetchRoleDefinitions } from './_roles.js';

/** Role descriptions run long; a card of 25 rows stays well under Teams' size limit with this much of each. */
const DESCRIPTION_CHARS = 140;

function shorten(text: string): string {
  return text.length > DESCRIPTION_CHARS ? `${text.slice(0, DESCRIPTION_CHARS - 1).trimEnd()}…` : text;
}

export default defineCommand({
  name: 'roles',
  summary: 'Lists the directory roles (built-in and custom); add text to keep those whose name contains it.',
  usage: 'roles [text...]',
  examples: ['roles', 'roles admin'],
  args: {
    positional: ['text...'],
    schema: z.object({ text: z.string().trim().max(100).optional(), ...pageArg }).strict(),
  },
  tier: 'read',
  scopes: ['RoleManagement.Read.Directory'],
  // Works app-only (no /me, nothing of the admin's session): may run as the reports app (schedule add).
  schedulable: { appScopes: ['RoleManagement.Read.Directory'] },
  async run(ctx, args) {
    const all = await fetchRoleDefinitions(graphOf(ctx), [
      'id',
      'displayName',
      'description',
      'isBuiltIn',
      'isEnabled',
    ]);
    const wanted = args.text?.toLowerCase();
    const matching = (wanted ? all.filter((r) => r.displayName.toLowerCase().includes(wanted)) : all).sort((a, b) =>
      a.displayName.localeCompare(b.displayName),
    );
    // Graph returns every definition in one response (no paging), so the card pages them itself.
    return listOutput(localPage(ctx, matching, args.page), {
      title: wanted ? `Directory roles matching "${args.text}"` : 'Directory roles',
      noun: 'roles',
      empty: wanted ? `No role's name contains "${args.text}".` : 'This tenant has no role definitions.',
      row: (r) => ({
        title: r.displayName,
        detail: shorten(r.description ?? '') || r.id,
        badge: r.isEnabled === false ? 'Disabled' : r.isBuiltIn === false ? 'Custom' : 'Built-in',
        badgeColor: r.isEnabled === false ? 'Attention' : r.isBuiltIn === false ? 'Accent' : 'Default',
        open: `role members "${r.displayName}"`,
      }),
    });
  },
});
