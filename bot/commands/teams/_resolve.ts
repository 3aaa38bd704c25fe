import type { GraphApi } from '../../graph/client.js';
import { isGuid, odataLiteral, withQuery } from '../../graph/odata.js';
import { MAX_CANDIDATES, pickExactOrPrefix, runLookups, type Lookup } from '../_lib/batch-lookup.js';
import { stepBody } from '../_lib/batch-steps.js';

/** The team properties every team card needs; commands add what else they show to `$select`. */
export const TEAM_SUMMARY_FIELDS = ['id', 'displayName'];

export interface GraphTeam {
  id: string;
  displayName?: string;
  description?: string | null;
  visibility?: string | null;
  isArchived?: boolean | null;
  webUrl?: string | null;
  createdDateTime?: string | null;
  summary?: { ownersCount?: number; membersCount?: number; guestsCount?: number } | null;
  [property: string]: unknown;
}

/**
 * Finds one team from what an admin typed, as batch steps: a team id is one direct read; a name is an exact
 * (`eq`) and a prefix (`startswith`) query sent together, so an exact name wins even when many teams share its
 * prefix, and the answer still takes one round trip. Several → a choice card offering team ids (never a guess).
 */
export function teamLookup(typed: string, select: string[] = TEAM_SUMMARY_FIELDS, prefix = 'team'): Lookup<GraphTeam> {
  const fields = [...new Set([...TEAM_SUMMARY_FIELDS, ...select])];
  if (isGuid(typed)) {
    const id = prefix;
    return {
      steps: [{ id, method: 'GET', url: withQuery(`/teams/${typed}`, { $select: fields }) }],
      pick: (results) => stepBody<GraphTeam>(results, id),
    };
  }
  const literal = odataLiteral(typed);
  const exactId = `${prefix}-exact`;
  const prefixId = `${prefix}-prefix`;
  return {
    steps: [
      { id: exactId, method: 'GET', url: withQuery('/teams', { $filter: `displayName eq ${literal}`, $top: MAX_CANDIDATES + 1, $select: fields }) },
      { id: prefixId, method: 'GET', url: withQuery('/teams', { $filter: `startswith(displayName,${literal})`, $top: MAX_CANDIDATES + 1, $select: fields }) },
    ],
    pick: (results) => {
      const exact = stepBody<{ value: GraphTeam[] }>(results, exactId).value ?? [];
      const prefixed = stepBody<{ value: GraphTeam[] }>(results, prefixId).value ?? [];
      return pickExactOrPrefix(typed, exact, prefixed, {
        noun: 'team',
        hint: 'Find it with "teams <text>" and open it from the list.',
        label: (t) => `${t.displayName ?? t.id}${t.description ? ` — ${t.description}` : ''} (${t.id.slice(0, 8)}…)`,
        value: (t) => t.id,
      });
    },
  };
}

/**
 * One team by id or name in one round trip: a team id is a direct GET (no batch needed); a name goes through
 * `teamLookup`'s two queries in one `$batch`.
 */
export async function resolveTeam(graph: GraphApi, typed: string, select: string[] = TEAM_SUMMARY_FIELDS): Promise<GraphTeam> {
  if (isGuid(typed)) {
    const fields = [...new Set([...TEAM_SUMMARY_FIELDS, ...select])];
    return (await graph.get<GraphTeam>(withQuery(`/teams/${typed}`, { $select: fields }))).body;
  }
  const [team] = await runLookups(graph, teamLookup(typed, select));
  return team;
}

/** How a team is named in follow-up commands: its id, which always resolves to exactly this team. */
export const teamKey = (team: GraphTeam): string => team.id;
