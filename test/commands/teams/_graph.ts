import type { RequestLogEntry } from '../../../devtenant/graph/request-log.js';
import type { DevTenant } from '../../../devtenant/index.js';
import { ROLE } from '../../../devtenant/seed/index.js';
import { messageActivity } from '../../helpers/activities.js';
import { cardProblems } from '../../helpers/card-check.js';
import { requestLine, type Answer, type CommandHarness } from '../../helpers/command-harness.js';
import { cardOf, cardText, converse } from '../../helpers/test-adapter.js';

/** Requests that crossed the wire (a `$batch` counts once; its inner requests are logged with viaBatch). */
export function roundTrips(answer: Answer): RequestLogEntry[] {
  return answer.graph.filter((entry) => !entry.viaBatch);
}

/** The requests sent inside `$batch`es, as sorted lines (Graph runs them in any order). */
export function batchedLines(answer: Answer): string[] {
  return answer.graph
    .filter((entry) => entry.viaBatch)
    .map(requestLine)
    .sort();
}

/** The follow-up commands a card offers (Action.Execute data.text), wherever they sit in the card. */
export function cardCommands(answer: Answer): string[] {
  const found: string[] = [];
  JSON.stringify(answer.card, (key, value: unknown) => {
    if (
      key === 'data' &&
      value &&
      typeof value === 'object' &&
      typeof (value as { text?: unknown }).text === 'string'
    ) {
      found.push((value as { text: string }).text);
    }
    return value;
  });
  return found;
}

/**
 * Adds a team to the devtenant (a copy of a seeded one under a new name and id) for cases the demo seed does not
 * hold, such as several teams sharing a name or a prefix. Returns the new team id.
 */
export function addTestTeam(tenant: DevTenant['tenant'], displayName: string, owners: string[] = []): string {
  const template = tenant.teams[0];
  const group = tenant.groupById(template.id)!;
  const id = tenant.newId();
  tenant.addGroup({
    ...group,
    id,
    displayName,
    mailNickname: `t${id.slice(0, 8)}`,
    memberIds: new Set(owners),
    ownerIds: new Set(owners),
  });
  tenant.addTeam({ ...template, id, displayName, description: `${displayName} (test)`, isArchived: false });
  return id;
}

/** The UPN of an enabled member holding `roleId` (and no Global Administrator), for role-based 403 cases. */
export function upnWithRole(tenant: DevTenant['tenant'], roleId: string): string {
  const holder = tenant.roleAssignments
    .filter((a) => a.roleDefinitionId === roleId)
    .map((a) => tenant.userById(a.principalId))
    .find((u) => u && u.accountEnabled && !tenant.activeRoleTemplateIds(u.id).includes(ROLE.globalAdministrator));
  if (!holder) throw new Error(`seed: no enabled user holds role ${roleId}`);
  return holder.userPrincipalName;
}

/**
 * `harness.ask` for commands that may run longer than a second (polling an asynchronous operation): teams-ai's
 * Application.run starts a typing indicator after 1 s whatever `startTypingTimer` says, so such a turn also sends a
 * `typing` activity, which `ask` counts as a second reply. Asked the lead to let `ask` ignore typing activities.
 */
export async function askSlow(harness: CommandHarness, text: string): Promise<Answer> {
  harness.dev.graph.clearLog();
  const replies = (await converse(harness.bot, messageActivity(text))).filter((r) => r.type !== 'typing');
  if (replies.length !== 1) throw new Error(`expected one reply to "${text}", got ${replies.length}`);
  const card = cardOf(replies[0]);
  return {
    card,
    text: cardText(card),
    summary: String(replies[0].summary),
    graph: [...harness.dev.graph.requestLog],
    problems: cardProblems(card),
  };
}
