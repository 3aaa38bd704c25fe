import { z } from 'zod';

/**
 * Arguments many commands take, declared once so they read and fail the same everywhere. Typed values are
 * untrusted: they are bounded here and escaped where they reach Graph (bot/graph/odata.ts).
 */

/** A user as typed: UPN, object id or display name (a display name is resolved; ambiguity gets a choice card). */
export const userArg = z.string().trim().min(1, 'name a user').max(256);

/** A team by name or id. */
export const teamArg = z.string().trim().min(1, 'name a team').max(256);

/** A group by name or id. */
export const groupArg = z.string().trim().min(1, 'name a group').max(256);

/** `<command> <user>`: the argument of every command about one user. */
export const oneUserArgs = { positional: ['user'], schema: z.object({ user: userArg }).strict() };

/** A command that takes nothing. */
export const noArgs = { positional: [], schema: z.object({}).strict() };
