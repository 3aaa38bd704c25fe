/**
 * The domain's words: how Teams / Microsoft 365 admins say what the command descriptors call by one name. Each row
 * maps surface forms (one or more words; `*` stands for one to three words in between, such as the user in "sign
 * alice out") to concepts, the words the descriptors use. Everything else the matcher knows comes from the
 * descriptors themselves, so a new command is found by its name and summary without touching this file.
 */
export const SYNONYMS: ReadonlyArray<readonly [concepts: readonly string[], forms: readonly string[]]> = [
  [['whoami'], ['whoami', 'who am i', 'am i', 'who i am', 'my identity', 'signed in as']],
  [
    ['revoke', 'signout'],
    ['sign * out', 'log * out'],
  ],
  [['signout'], ['sign out', 'log out', 'logout', 'log off']],
  [
    ['revoke', 'remove'],
    ['kick * out', 'kick out', 'kick'],
  ],
  [['revoke'], ['revoke', 'force sign out', 'invalidate', 'terminate', 'kill', 'everywhere']],
  [['session'], ['session', 'token', 'refresh token', 'cookie']],
  [
    ['block'],
    ['block', 'disable', 'deactivate', 'lock', 'lock out', 'suspend', 'block sign in', 'stop * from', 'prevent * from'],
  ],
  [
    ['unblock'],
    ['unblock', 'enable', 're enable', 'reenable', 'unlock', 'allow * to sign in', 'let * sign in', 'unsuspend'],
  ],
  [
    ['delete', 'remove'],
    ['delete', 'remove', 'erase', 'get rid of', 'take * out', 'take * off', 'drop'],
  ],
  [
    ['unassign', 'remove'],
    ['unassign', 'release', 'take * away', 'take away', 'free up'],
  ],
  [
    ['add', 'assign'],
    ['add', 'put', 'include', 'join', 'make * a member'],
  ],
  [
    ['add', 'owner'],
    ['make * an owner', 'make * owner', 'as owner', 'as an owner'],
  ],
  [
    ['assign', 'grant'],
    ['assign', 'give', 'grant', 'allocate', 'apply', 'hand out'],
  ],
  [['reset'], ['reset', 'wipe', 'clear', 'start over', 'register * again', 're register', 'new']],
  [['password'], ['password', 'pwd', 'passcode']],
  [['registration'], ['registration', 'registered', 'set up', 'setup', 'enrolled', 'enrollment', 'enrolment']],
  // A person's MFA "status" is their registration (user mfa); the tenant-wide posture is a report.
  [
    ['mfa', 'registration'],
    ['mfa status', 'mfa state of', '2fa status', 'mfa registration status'],
  ],
  [['tap'], ['tap', 'temporary access pass', 'temp access pass', 'temporary pass', 'temp pass', 'access pass']],
  [['once'], ['once', 'one time', 'single use', 'one off']],
  [
    ['mfa'],
    [
      'mfa',
      '2fa',
      'two factor',
      'multi factor',
      'multifactor',
      'second factor',
      '2 factor',
      'authenticator',
      'two step',
      '2sv',
    ],
  ],
  [['method'], ['method', 'auth method', 'authentication method', 'sign in method', 'fido2', 'fido', 'passkey']],
  [['per'], ['per user', 'peruser', 'legacy mfa']],
  [['no', 'mfa'], ['nomfa']],
  [['per', 'mfa'], ['permfa']],
  [['last', 'signin'], ['lastsignin']],
  [
    ['no'],
    [
      'no',
      'without',
      'missing',
      'lacking',
      'lack',
      'dont have',
      'doesnt have',
      'do not have',
      'does not have',
      'not registered',
      'unregistered',
    ],
  ],
  [['set'], ['set', 'change', 'update', 'switch', 'enforce', 'turn on', 'turn off', 'switch on', 'switch off']],
  [['admin'], ['admin', 'administrator', 'privileged account', 'privileged user']],
  [['user'], ['user', 'account', 'person', 'employee', 'people']],
  [
    ['member'],
    [
      'member',
      'membership',
      'everyone',
      'everybody',
      'who is in',
      'whos in',
      'who are in',
      'who is on',
      'people in',
      'users in',
      'belong',
    ],
  ],
  [
    ['owner', 'member'],
    ['owner', 'own', 'who owns'],
  ],
  [
    ['search'],
    [
      'search',
      'find',
      'look up',
      'lookup',
      'locate',
      'named',
      'called',
      'containing',
      'contain',
      'start with',
      'starting with',
      'begin with',
      'whose name',
      'in the name',
    ],
  ],
  [
    ['list'],
    [
      'list',
      'show',
      'all',
      'display',
      'get',
      'view',
      'see',
      'enumerate',
      'overview',
      'what are',
      'detail',
      'info',
      'information',
      'look like',
    ],
  ],
  [['signin'], ['signin', 'sign in', 'sign ins', 'login', 'log in', 'logon', 'sign on']],
  [
    ['signin', 'list'],
    ['sign in log', 'sign in history', 'login history', 'sign in activity'],
  ],
  [['last'], ['last', 'latest', 'most recent', 'recent', 'last seen', 'last active', 'last time']],
  [['license'], ['license', 'licence', 'sku', 'subscription', 'seat', 'product']],
  [['unassigned'], ['unassigned', 'free', 'available', 'unused', 'spare', 'left']],
  [
    ['phone', 'number'],
    ['phone number', 'telephone number'],
  ],
  [['phone'], ['phone', 'telephone']],
  [['number'], ['number']],
  [['policy'], ['policy']],
  [
    ['config'],
    ['config', 'configuration', 'setting', 'effective policy', 'effective', 'get csonlineuser', 'csonlineuser'],
  ],
  [['health'], ['health', 'down', 'outage', 'incident', 'issue', 'degraded', 'service status', 'advisory', 'problem']],
  [['audit'], ['audit', 'audit log', 'audit trail', 'who did what', 'who ran what', 'who changed']],
  [['directory'], ['directory', 'entra', 'azure ad', 'aad', 'entra id']],
  [['approval'], ['approval', 'request', 'pending', 'waiting']],
  [['approve'], ['approve', 'accept', 'sign off']],
  [['reject'], ['reject', 'deny', 'decline', 'refuse']],
  [['cancel'], ['cancel', 'withdraw', 'abort', 'retract']],
  [['role'], ['role', 'rbac']],
  [['pim'], ['pim', 'privileged identity', 'privileged identity management', 'jit', 'just in time']],
  [
    ['pim', 'activate'],
    ['activate', 'elevate'],
  ],
  [
    ['pim', 'eligible'],
    ['eligible', 'eligibility', 'can * activate', 'can activate', 'can * elevate', 'can elevate'],
  ],
  [
    ['pim', 'active'],
    ['active', 'right now', 'currently', 'at the moment', 'do i have'],
  ],
  [['archive'], ['archive', 'read only', 'readonly', 'freeze', 'retire']],
  [['unarchive'], ['unarchive', 'un archive', 'restore', 'bring back', 'active again']],
  [['group'], ['group', 'distribution list', 'dl', 'security group', 'm365 group', 'unified group']],
  [['team'], ['team']],
  [['ca'], ['ca', 'conditional access']],
  [
    ['ca', 'context'],
    ['context', 'auth context', 'authentication context'],
  ],
  [['export'], ['export', 'download', 'dump', 'backup', 'csv', 'jsonl', 'extract']],
  [['verify'], ['verify', 'integrity', 'tamper', 'tampering', 'tampered', 'validate', 'intact']],
  [['schedule'], ['schedule', 'scheduled', 'recurring', 'every day', 'daily', 'weekly', 'every morning', 'every week']],
  [['help'], ['help', 'command', 'what can you do', 'usage', 'manual']],
  [['self'], ['me', 'my', 'i', 'myself', 'mine', 'you', 'your']],
  [['who'], ['who', 'whos', 'whom', 'who is', 'who has']],
  [['transitive'], ['transitive', 'nested', 'indirect', 'all levels', 'including nested', 'include nested']],
  [['site'], ['site', 'sharepoint site']],
  [['bot'], ['bot']],
];

/** "How do I …" asks for a command's help, not for the command. */
export const HOW_TO = ['how do i', 'how to', 'how can i', 'how would i', 'how should i'];

/** Words that carry no meaning for choosing a command (checked on the lowercase word and on its stem). */
export const STOPWORDS = new Set(
  (
    'a an the of for to from in on at by with and or is are was were be been being do does did have has had having ' +
    'can could would should will shall may might must please pls plz what which that this these those there here ' +
    'it its any some just now quickly asap hey hi hello thanks thank kindly need needs want wanna like lets let ' +
    'tell also about whether if than then out up again ok okay into onto as so how many much when where why ' +
    'their them they his her him he she we us our ours via currently still yet exist exists existing'
  ).split(' '),
);

/**
 * A light stemmer (plural, -ing, final -e): the same rules on both sides are what matters, not linguistics. Past
 * participles keep their "-ed", so a state ("blocked", "archived", "assigned") does not read as the action.
 */
export function stem(word: string): string {
  let w = word
    .toLowerCase()
    .replace(/['’]s$/, '')
    .replace(/['’]/g, '');
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !(w.length > 4 && /(us|is)$/.test(w))) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  // "-ed" stays: "is alice blocked?" asks about a state, "block alice" orders a change.
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

/** Teams policy types as admins name them, with the type PowerShell and Graph use. */
export const POLICY_TYPES: Readonly<Record<string, string>> = {
  'meeting policy': 'TeamsMeetingPolicy',
  'calling policy': 'TeamsCallingPolicy',
  'messaging policy': 'TeamsMessagingPolicy',
  'app setup policy': 'TeamsAppSetupPolicy',
  'app permission policy': 'TeamsAppPermissionPolicy',
  'live events policy': 'TeamsMeetingBroadcastPolicy',
  'emergency calling policy': 'TeamsEmergencyCallingPolicy',
  'channels policy': 'TeamsChannelsPolicy',
  'voice routing policy': 'OnlineVoiceRoutingPolicy',
  'voicemail policy': 'OnlineVoicemailPolicy',
  'dial plan': 'TenantDialPlan',
  'caller id policy': 'CallingLineIdentity',
};

/** `phone assign --type` values, as admins say them. */
export const PHONE_TYPES: Readonly<Record<string, string>> = {
  'calling plan': 'callingPlan',
  'direct routing': 'directRouting',
  'operator connect': 'operatorConnect',
};

/** Per-user MFA states (`user permfa set`), from the verbs admins use for them. */
export const MFA_STATES: Readonly<Record<string, string>> = {
  enforce: 'enforced',
  enforced: 'enforced',
  enable: 'enabled',
  enabled: 'enabled',
  'turn on': 'enabled',
  'switch on': 'enabled',
  disable: 'disabled',
  disabled: 'disabled',
  'turn off': 'disabled',
  'switch off': 'disabled',
};

/** Built-in Entra directory roles admins name in chat (a role's full name is what `role members` finds exactly). */
export const ROLE_NAMES: readonly string[] = [
  'Global Administrator',
  'Global Reader',
  'Teams Administrator',
  'Teams Communications Administrator',
  'Teams Communications Support Engineer',
  'Teams Devices Administrator',
  'User Administrator',
  'Helpdesk Administrator',
  'Password Administrator',
  'Authentication Administrator',
  'Privileged Authentication Administrator',
  'Privileged Role Administrator',
  'Security Administrator',
  'Security Reader',
  'Reports Reader',
  'License Administrator',
  'Groups Administrator',
  'Exchange Administrator',
  'SharePoint Administrator',
  'Billing Administrator',
  'Conditional Access Administrator',
  'Application Administrator',
  'Cloud Application Administrator',
];

/** Microsoft 365 services as admins name them (what `health <service>` looks for). */
export const SERVICES: readonly string[] = [
  'teams',
  'exchange',
  'exchange online',
  'sharepoint',
  'sharepoint online',
  'onedrive',
  'intune',
  'entra',
  'outlook',
  'defender',
  'purview',
  'power bi',
  'planner',
  'viva',
];

/** Relative times for `--since`, in the units the commands accept. */
export const SINCE_PHRASES: Readonly<Record<string, string>> = {
  today: '24h',
  'last day': '24h',
  'past day': '24h',
  yesterday: '48h',
  'this week': '7d',
  'last week': '7d',
  'past week': '7d',
  'this month': '30d',
  'last month': '30d',
  'last hour': '1h',
  'past hour': '1h',
};

/** How many rows of the synonym table and surface forms it holds (reported by the evaluation). */
export function synonymTableSize(): { rows: number; forms: number } {
  return { rows: SYNONYMS.length, forms: SYNONYMS.reduce((n, [, forms]) => n + forms.length, 0) };
}
