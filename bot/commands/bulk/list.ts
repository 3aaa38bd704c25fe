import { z } from 'zod';
import { defineCommand } from '../types.js';
import { jobsOf } from './_target.js';

export default defineCommand({
  name: 'bulk list',
  area: 'bulk',
  summary: 'The most recent bulk jobs of this tenant, with their state.',
  usage: 'bulk list',
  examples: ['bulk list'],
  args: { positional: [], schema: z.object({}).strict() },
  tier: 'read',
  scopes: [],
  requiresSignIn: true,
  card: 'teams-detail',
  run: (ctx) => jobsOf(ctx).list(ctx),
});
