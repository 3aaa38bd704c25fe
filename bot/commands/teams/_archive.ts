import { operationError, pollOperation } from '../_lib/async-operation.js';
import { graphOf } from '../_lib/context.js';
import { detailOutput } from '../_lib/detail-card.js';
import type { CommandContext, CommandOutput } from '../types.js';
import { resolveTeam } from './_resolve.js';

/**
 * Archive and unarchive are asynchronous in Graph: 202 + `Location` of a teamsAsyncOperation. We poll it a few
 * times within a couple of seconds and report the final state, or say it is still running and how to check.
 */
export async function changeArchiveState(
  ctx: CommandContext,
  typedTeam: string,
  archive: boolean,
  readonlySite = false,
): Promise<CommandOutput> {
  const graph = graphOf(ctx);
  // Only the name and id are needed: the operation's outcome says what the team is now (one round trip to resolve).
  const team = await resolveTeam(graph, typedTeam);
  const teamName = team.displayName ?? team.id;
  const verb = archive ? 'archive' : 'unarchive';
  const response = archive
    ? await graph.post<undefined>(`/teams/${team.id}/archive`, { shouldSetSpoSiteReadOnlyForMembers: readonlySite })
    : await graph.post<undefined>(`/teams/${team.id}/unarchive`, {});
  const location = response.headers.get('location');
  const state = location ? await pollOperation(graph, location) : undefined;
  const facts = [
    { title: 'Team', value: teamName },
    ...(archive ? [{ title: 'SharePoint site', value: readonlySite ? 'read-only for members' : 'unchanged' }] : []),
    {
      title: 'Operation',
      value: state ? `${state.status} (checked ${state.polls}×)` : 'accepted (Graph gave no operation to follow)',
    },
    { title: 'request-id', value: response.requestId ?? 'n/a' },
  ];
  const check = { title: 'Check the team', text: `team ${team.id}` };
  if (state?.finished && state.status === 'failed') {
    return detailOutput({
      title: `Could not ${verb} the team`,
      subtitle: teamName,
      status: 'Failed',
      statusColor: 'Attention',
      facts,
      note: `Graph reports the operation failed: ${operationError(state.body)}`,
      actions: [check],
      text: `Graph could not ${verb} ${teamName}: ${operationError(state.body)} (request-id ${response.requestId ?? 'n/a'}).`,
    });
  }
  if (state?.finished) {
    return detailOutput({
      title: archive ? 'Team archived' : 'Team unarchived',
      subtitle: teamName,
      status: 'Done',
      statusColor: 'Good',
      facts,
      note: archive
        ? 'Members can read but no longer post. Unarchive to make it active again.'
        : 'The team is active again.',
      actions: [
        check,
        archive
          ? { title: 'Undo (unarchive)', text: `team unarchive ${team.id}` }
          : { title: 'Undo (archive)', text: `team archive ${team.id}` },
      ],
      text: `${teamName} is ${archive ? 'archived' : 'active again'} (request-id ${response.requestId ?? 'n/a'}).`,
    });
  }
  return detailOutput({
    title: archive ? 'Archiving the team' : 'Unarchiving the team',
    subtitle: teamName,
    status: state?.checkFailed ? 'Accepted' : 'Still running',
    statusColor: 'Warning',
    facts,
    note:
      `${state?.checkFailed ? `Graph accepted it, but reading its progress failed (${state.checkFailed}). ` : `Graph accepted it and is still working on it. `}Check ` +
      `with: team ${team.id}`,
    actions: [check],
    text:
      `Graph accepted the ${verb} of ${teamName} and is still running it; check with "team ${team.id}" (request-id ` +
      `${response.requestId ?? 'n/a'}).`,
  });
}
