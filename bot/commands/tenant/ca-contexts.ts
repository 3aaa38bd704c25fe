import { z } from 'zod';
import { withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { listOutput } from '../_lib/list-card.js';
import { localPage, pageArg } from '../_lib/local-page.js';
import { defineCommand } from '../types.js';

interface AuthContext {
  id: string;
  displayName?: string | null;
  description?: string | null;
  isAvailable?: boolean;
}

export default defineCommand({
  name: 'ca contexts',
  summary: 'Conditional Access authentication contexts (c1…c99): what each one demands and whether apps may use it.',
  usage: 'ca contexts',
  examples: ['ca contexts'],
  args: { positional: [], schema: z.object({ ...pageArg }).strict() },
  tier: 'read',
  scopes: ['AuthenticationContext.Read.All'],
  async run(ctx, args) {
    const response = await graphOf(ctx).get<{ value: AuthContext[] }>(
      withQuery('/identity/conditionalAccess/authenticationContextClassReferences', {
        $select: ['id', 'displayName', 'description', 'isAvailable'],
      }),
    );
    // A tenant has at most 99 contexts (c1…c99), answered in one response; the card pages them itself.
    const contexts = (response.body.value ?? []).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    return listOutput(localPage(ctx, contexts, args.page), {
      title: 'Authentication contexts',
      noun: 'contexts',
      empty: 'No authentication context is defined in this tenant.',
      row: (c) => ({
        title: `${c.id} · ${c.displayName ?? ''}`.trim(),
        detail: c.description || 'no description',
        badge: c.isAvailable ? 'Published to apps' : 'Not published',
        badgeColor: c.isAvailable ? 'Good' : 'Warning',
        open: 'ca contexts',
      }),
    });
  },
});
