import type { GraphApi } from '../../graph/client.js';
import { NotFoundError } from '../../errors.js';
import { isGuid, odataLiteral, withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { formatTime, userDetailOutput } from '../_lib/user-detail.js';
import { resolveUser } from '../_lib/users.js';
import { defineCommand } from '../types.js';
import { oneUserArgs } from '../_lib/args.js';

const REPORT = '/reports/authenticationMethods/userRegistrationDetails';

interface RegistrationDetails {
  id: string;
  userPrincipalName: string;
  userDisplayName?: string;
  isAdmin?: boolean;
  isMfaRegistered?: boolean;
  isMfaCapable?: boolean;
  isSsprRegistered?: boolean;
  isPasswordlessCapable?: boolean;
  methodsRegistered?: string[];
  systemPreferredAuthenticationMethods?: string[];
  userPreferredMethodForSecondaryAuthentication?: string;
  lastUpdatedDateTime?: string;
}

/**
 * The report row of a user: by id (entity read) or UPN (`$filter`, the only query the report supports besides
 * $orderby).
 */
async function registrationOf(graph: GraphApi, typed: string): Promise<RegistrationDetails> {
  if (isGuid(typed)) return (await graph.get<RegistrationDetails>(`${REPORT}/${typed.toLowerCase()}`)).body;
  let upn = typed;
  if (!typed.includes('@')) upn = String((await resolveUser(graph, typed)).userPrincipalName);
  const response = await graph.get<{ value: RegistrationDetails[] }>(
    withQuery(REPORT, { $filter: `userPrincipalName eq ${odataLiteral(upn)}` }),
  );
  const row = response.body.value?.[0];
  if (!row) throw new NotFoundError(`The MFA registration report has no user "${upn}". Check the UPN.`);
  return row;
}

const yesNo = (value: boolean | undefined) => (value === undefined ? 'unknown' : value ? 'yes' : 'no');
const list = (values: string[] | undefined) => (values && values.length ? values.join(', ') : 'none');

export default defineCommand({
  name: 'user mfa',
  summary: "Shows a user's MFA registration: registered, capable, methods, preferred method, admin or not.",
  usage: 'user mfa <upn | object id | display name>',
  examples: ['user mfa alice@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'read',
  scopes: ['AuditLog.Read.All', 'User.Read.All'],
  async run(ctx, args) {
    const details = await registrationOf(graphOf(ctx), args.user);
    const upn = details.userPrincipalName;
    const registered = details.isMfaRegistered === true;
    const status = registered ? 'MFA registered' : details.isAdmin ? 'Admin without MFA' : 'No MFA';
    return userDetailOutput({
      title: 'MFA registration',
      subtitle: details.userDisplayName ? `${details.userDisplayName} · ${upn}` : upn,
      status,
      statusColor: registered ? 'Good' : details.isAdmin ? 'Attention' : 'Warning',
      facts: [
        { title: 'MFA capable', value: yesNo(details.isMfaCapable) },
        { title: 'Methods', value: list(details.methodsRegistered) },
        { title: 'System-preferred', value: list(details.systemPreferredAuthenticationMethods) },
        { title: 'User-preferred', value: details.userPreferredMethodForSecondaryAuthentication ?? 'none' },
        { title: 'Passwordless capable', value: yesNo(details.isPasswordlessCapable) },
        { title: 'SSPR registered', value: yesNo(details.isSsprRegistered) },
        { title: 'Holds an admin role', value: yesNo(details.isAdmin) },
        { title: 'Report updated', value: formatTime(details.lastUpdatedDateTime, 'unknown') },
      ],
      actions: [
        { title: 'Methods', text: `user methods ${upn}` },
        { title: 'Temporary Access Pass', text: `user tap ${upn} --once` },
        ...(registered ? [{ title: 'Reset MFA', text: `user mfa reset ${upn}` }] : []),
      ],
      text: `${upn}: ${status.toLowerCase()}; methods: ${list(details.methodsRegistered)}.`,
    });
  },
});
