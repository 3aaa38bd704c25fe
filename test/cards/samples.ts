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
  choice: [
    {
      message: '"Alex" matches 2 users.',
      choices: [
        { label: 'Alex Wilber (alexw@contoso.onmicrosoft.com)', command: 'user alexw@contoso.onmicrosoft.com' },
        { label: 'Alex Vance (alexv@contoso.onmicrosoft.com)', command: 'user alexv@contoso.onmicrosoft.com' },
      ],
    },
  ],
  user: [
    {
      displayName: 'Alice Adams',
      upn: 'alice@contoso.onmicrosoft.com',
      id: '6b2f0c9e-1111-4aaa-8bbb-000000000001',
      status: 'Sign-in allowed',
      statusColor: 'Good',
      userType: 'Member',
      jobTitle: 'Engineer',
      department: 'R&D',
      usageLocation: 'US',
      licences: '2',
      source: 'cloud',
      created: '2024-01-02',
      actions: [{ title: 'Block sign-in', text: 'user block alice@contoso.onmicrosoft.com' }],
    },
  ],
  list: [
    {
      title: 'Users matching "ali"',
      subtitle: '2 of 40 users · page 1 · more available',
      empty: 'none',
      items: [
        { title: 'Alice Adams', detail: 'alice@contoso.onmicrosoft.com', badge: 'Active', badgeColor: 'Good', open: 'user alice@contoso.onmicrosoft.com' },
        { title: 'Ali Baba', detail: 'ali@contoso.onmicrosoft.com · guest', badge: 'Blocked', badgeColor: 'Attention', open: 'user ali@contoso.onmicrosoft.com' },
      ],
      more: 'user search ali --cursor abcdefghijklmnop',
    },
    { title: 'Users matching "zz"', subtitle: '0 users · page 1', empty: 'No user matches.', items: [], more: '' },
  ],
  notice: [
    { title: 'Hello', message: 'Welcome', actions: [{ title: 'help', command: 'help' }] },
    { title: 'Hello', message: 'No actions', actions: [] },
  ],
};
