import type { AnyCommand, CommandContext } from '../commands/types.js';
import { CodedError, ErrorCode } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import { GraphRequestError } from '../graph/errors.js';
import { odataLiteral, userPath, withQuery } from '../graph/odata.js';

/**
 * A schedule runs as the reports app, whose application permissions know no admin role. Two rules keep it from
 * being a way around the creator's own role:
 *  - at `schedule add`, the creator must be able to read the report themselves (Graph's own answer, 403 or not);
 *  - before every run, the creator must still be an enabled account holding one of the bot's admin roles.
 */

/** The creator's own Graph read of the command was refused (403): scheduling it would widen what they can read. */
export class CreatorCannotReadError extends CodedError {
  override readonly title = 'You cannot read this report yourself';
  constructor(commandName: string, requestId: string | undefined) {
    super(
      ErrorCode.Forbidden,
      `Microsoft Graph refused "${commandName}" to your own sign-in (403, request-id ${requestId ?? 'n/a'}), so ` +
        `it cannot be scheduled: ` +
        'a scheduled report runs as the reports app and must not show you more than your admin role allows. ' +
        'Nothing was stored.',
    );
  }
}

/**
 * Runs the command once exactly as typed, with the creator's session (delegated token: Graph applies their roles).
 * Its card is not posted. A 403 becomes `CreatorCannotReadError`; any other failure is thrown as is (the error
 * card says why, and nothing is stored either).
 */
export async function assertCreatorCanRead(ctx: CommandContext, command: AnyCommand, args: unknown): Promise<void> {
  try {
    await command.run(ctx, args as never);
  } catch (err) {
    if (err instanceof GraphRequestError && err.status === 403)
      throw new CreatorCannotReadError(command.name, err.requestId);
    throw err;
  }
}

export type CreatorStatus = { ok: true } | { ok: false; reason: string };

/** Outcome detail of a run skipped because its creator is no longer an admin (a prefix the scheduler matches). */
export const CREATOR_NO_LONGER_ADMIN = 'creator-no-longer-admin';

/**
 * Asks Graph, as the reports app (User.Read.All, RoleManagement.Read.Directory), whether the creator still exists,
 * is enabled and holds a tenant-wide active assignment of one of `adminRoles`. Graph failures other than 404 are
 * thrown: the run fails rather than running unchecked.
 */
export async function checkCreator(
  graph: GraphApi,
  oid: string,
  adminRoles: readonly string[],
): Promise<CreatorStatus> {
  let user: { accountEnabled?: boolean };
  try {
    user = (await graph.get<{ accountEnabled?: boolean }>(withQuery(userPath(oid), { $select: 'id,accountEnabled' })))
      .body;
  } catch (err) {
    if (err instanceof GraphRequestError && err.status === 404)
      return { ok: false, reason: 'their account no longer exists' };
    throw err;
  }
  if (user.accountEnabled !== true) return { ok: false, reason: 'their account is disabled' };
  const wanted = new Set(adminRoles.map((r) => r.toLowerCase()));
  let path: string | undefined = withQuery('/roleManagement/directory/roleAssignmentScheduleInstances', {
    $filter: `principalId eq ${odataLiteral(oid)}`,
    $select: 'roleDefinitionId,directoryScopeId',
  });
  for (let page = 0; path && page < 10; page++) {
    type Page = { value?: { roleDefinitionId?: string; directoryScopeId?: string }[]; '@odata.nextLink'?: string };
    const body: Page = (await graph.get<Page>(path)).body;
    const held = (body.value ?? []).some(
      (a) =>
        a.roleDefinitionId !== undefined &&
        (a.directoryScopeId ?? '/') === '/' &&
        wanted.has(a.roleDefinitionId.toLowerCase()),
    );
    if (held) return { ok: true };
    const next = body['@odata.nextLink'];
    path = next ? graph.relativeLink(next) : undefined;
  }
  return { ok: false, reason: 'they no longer hold an admin role' };
}
