import type { GraphApi } from '../../graph/client.js';
import { isGuid, odataLiteral, withQuery } from '../../graph/odata.js';
import { MAX_CANDIDATES, pickExactOrPrefix, runLookups, type Lookup } from '../_lib/batch-lookup.js';
import { stepBody } from '../_lib/batch-steps.js';

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
 * What `GET /teams` fills in: "Currently, this API call returns only the id, displayName, and description properties
 * of a team. To get all properties, use the Get team operation." (teams-list). Anything else needs `GET /teams/{id}`.
 */
export const LISTED_TEAM_FIELDS = ['id', 'displayName', 'description'];

/**
 * Finds one team from what an admin typed, as batch steps: a team id is one direct read; a name is an exact
 * (`eq`) and a prefix (`startswith`) query sent together, so an exact name wins even when many teams share its
 * prefix, and the answer still takes one round trip. Several → a choice card offering team ids (never a guess).
 * Only `LISTED_TEAM_FIELDS` are reliable on the result.
 */
export function teamLookup(typed: string, prefix = 'team'): Lookup<GraphTeam> {
  if (isGuid(typed)) {
    const id = prefix;
    return {
      steps: [{ id, method: 'GET', url: withQuery(`/teams/${typed}`, { $select: LISTED_TEAM_FIELDS }) }],
      pick: (results) => stepBody<GraphTeam>(results, id),
    };
  }
  const literal = odataLiteral(typed);
  const exactId = `${prefix}-exact`;
  const prefixId = `${prefix}-prefix`;
  const query = { $top: MAX_CANDIDATES + 1, $select: LISTED_TEAM_FIELDS };
  return {
    steps: [
      { id: exactId, method: 'GET', url: withQuery('/teams', { $filter: `displayName eq ${literal}`, ...query }) },
      {
        id: prefixId,
        method: 'GET',
        url: withQuery('/teams', { $filter: `startswith(displayName,${literal})`, ...query }),
      },
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
 * One team by id or name. A team id is one `GET /teams/{id}` with `select`. A name is one `$batch` (see
 * `teamLookup`), plus a `GET /teams/{id}` only when `select` asks for more than the list fills in.
 */
export async function resolveTeam(
  graph: GraphApi,
  typed: string,
  select: string[] = LISTED_TEAM_FIELDS,
): Promise<GraphTeam> {
  const fields = [...new Set([...LISTED_TEAM_FIELDS, ...select])];
  if (isGuid(typed)) return (await graph.get<GraphTeam>(withQuery(`/teams/${typed}`, { $select: fields }))).body;
  const [team] = await runLookups(graph, teamLookup(typed));
  if (fields.every((f) => LISTED_TEAM_FIELDS.includes(f))) return team;
  return (await graph.get<GraphTeam>(withQuery(`/teams/${team.id}`, { $select: fields }))).body;
}
