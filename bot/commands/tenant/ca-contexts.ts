import { z } from 'zod';
import { withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { listOutput } from '../_lib/list-card.js';
import { defineCommand } from '../types.js';

const MAX_ROWS = 50;

interface AuthContext {
  id: string;
  displayName?: string | null;
  description?: string | null;
  isAvailable?: boolean;
}

export default defineCommand({
  name: 'ca contexts',
  area: 'tenant',
  summary: 'Conditional Access authentication contexts (c1…c99): what each one demands and whether apps may use it.',
  usage: 'ca contexts',
  examples: ['ca contexts'],
  args: { positional: [], schema: z.object({}).strict() },
  tier: 'read',
  scopes: ['AuthenticationContext.Read.All'],
  requiresSignIn: true,
  card: 'list',
  async run(ctx) {
    const response = await graphOf(ctx).get<{ value: AuthContext[] }>(
      withQuery('/identity/conditionalAccess/authenticationContextClassReferences', { $select: ['id', 'displayName', 'description', 'isAvailable'] }),
    );
    // A tenant has at most 99 contexts (c1…c99), answered in one response; a card holds the first 50.
    const contexts = (response.body.value ?? []).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    return listOutput(
      { items: contexts.slice(0, MAX_ROWS), total: contexts.length, page: 1, more: '' },
      {
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
      },
    );
  },
});
