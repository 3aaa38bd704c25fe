/**
 * Sample data for every card template, including edge cases (empty lists, long text). A template without a
 * sample fails the test, so a new card cannot land unvalidated.
 */
export const CARD_SAMPLES: Record<string, Record<string, unknown>[]> = {
  help: [
    {
      areas: [
        { title: 'General', commands: [{ name: 'help', summary: 'Lists commands.', tierLabel: 'Read', tierColor: 'Good' }] },
        { title: 'Users', commands: [{ name: 'user block', summary: 'Blocks sign-in.', tierLabel: 'Write · MFA', tierColor: 'Warning' }] },
      ],
    },
  ],
  'help-command': [
    {
      name: 'user search',
      summary: 'Finds users.',
      usage: 'user search <text...>',
      examples: ['user search ali', 'user search "Alex W"'],
      area: 'Users',
      tierLabel: 'Read',
      tierMeaning: 'signed in',
      aliases: 'none',
      scopes: 'User.Read.All',
    },
  ],
  usage: [
    { title: 'Couldn\'t run "user"', message: '<user> is required.', usage: 'user <user>', examples: ['user alice@contoso.com'], command: 'user' },
    { title: "Couldn't read that command", message: 'The quote " at character 6 is never closed.', usage: '', examples: [], command: '' },
  ],
  'unknown-command': [
    { typed: 'hepl', suggestions: [{ name: 'help' }] },
    { typed: 'xyz', suggestions: [] },
  ],
  whoami: [
    { name: 'Megan', teamsUserId: '29:1', aadObjectId: 'a', tenantId: 't', conversationKind: 'personal', signedIn: false, signInNote: 'Not signed in.' },
    {
      name: 'Megan',
      teamsUserId: '29:1',
      aadObjectId: 'a',
      tenantId: 't',
      conversationKind: 'personal',
      signedIn: true,
      upn: 'admin@contoso.onmicrosoft.com',
      roles: 'Global Administrator',
      mfa: 'yes, 3 minutes ago',
      tokenExpiry: 'in 55 minutes',
      signInNote: '',
    },
  ],
  error: [
    { title: 'Graph refused', message: 'Insufficient privileges.', graphCode: 'Authorization_RequestDenied', requestId: 'r-1', correlationId: 'c-1' },
    { title: 'Oops', message: 'x'.repeat(2000), graphCode: '', requestId: '', correlationId: 'c-2' },
  ],
  notice: [
    { title: 'Hello', message: 'Welcome', actions: [{ title: 'help', command: 'help' }] },
    { title: 'Hello', message: 'No actions', actions: [] },
  ],
};
