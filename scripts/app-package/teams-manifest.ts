// The Teams app manifest, generated from the command registry so the compose-box command menu can never drift from
// what the bot actually understands. Placeholders `${{…}}` are filled by the Agents Toolkit from env/.env.<env>.
import type { AnyCommand } from '../../bot/commands/types.js';

export const MANIFEST_VERSION = '1.30';
export const MANIFEST_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
/** Teams shows at most 10 commands per scope in the command menu (documented limit; older schemas enforce it). */
export const MAX_MENU_COMMANDS = 10;
const MAX_TITLE = 32;
const MAX_DESCRIPTION = 128;
const BOT_SCOPES = ['personal', 'team', 'groupChat'] as const;

/**
 * The command menu per scope: what admins reach for most there (Teams allows 10 per list). `help` leads both and
 * lists everything else. Descriptions come from the registry; a name missing from it fails the generation.
 */
export const MENU: Readonly<Record<'personal' | 'shared', readonly string[]>> = {
  // 1:1 is the admin's own desk: helpdesk look-ups and fixes about one user (the secrets of a TAP only show here),
  // and the admin's own role activation and approval inbox.
  personal: [
    'help',
    'user', // the most common question: who is this user, are they blocked, licensed, synced (buttons follow up)
    'user search', // when only part of a name is known
    'user mfa', // "I can't sign in / set up MFA" tickets start here
    'user signins', // why a sign-in failed
    'user revoke', // first response to a compromised account
    'user tap', // onboarding or a lost phone: only runs in 1:1 (it shows a secret)
    'pim activate', // admins raise their own role before acting
    'approvals', // requests waiting for this admin's decision
    'whoami', // am I signed in, with which roles
  ],
  // A group chat or team is the shared admin room: the second admin approves there, and what is posted is what the
  // whole room should see (tenant-wide status and reports, not one user's secrets).
  shared: [
    'help',
    'approvals', // the two-person rule happens here: pending requests for this room's admins
    'health', // Microsoft 365 incidents everyone asks about
    'admins nomfa', // the posture report to share and act on
    'schedule list', // reports posted into this conversation
    'audit', // who ran what through the bot
    'directory audit', // who changed what in Entra
    'user', // the user a discussion is about
    'licenses', // seats left before buying
    'teams', // the Teams admins' daily look-up
  ],
};

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface MenuCommand {
  title: string;
  description: string;
}

/** The menu commands of `names`, described from the registry (summary, then usage when it takes arguments). */
export function menuCommands(commands: readonly AnyCommand[], names: readonly string[]): MenuCommand[] {
  if (names.length > MAX_MENU_COMMANDS) throw new Error(`Teams shows at most ${MAX_MENU_COMMANDS} menu commands`);
  return names.map((name) => {
    const command = commands.find((c) => c.name === name);
    if (!command) throw new Error(`The command menu names "${name}", which is not a command (renamed?)`);
    return {
      title: clip(command.name, MAX_TITLE),
      description: clip(
        command.usage === command.name ? command.summary : `${command.summary} Usage: ${command.usage}`,
        MAX_DESCRIPTION,
      ),
    };
  });
}

export interface AppIdentity {
  version: string;
  shortName: string;
  fullName: string;
  shortDescription: string;
  fullDescription: string;
  accentColor: string;
}

export const APP_IDENTITY: AppIdentity = {
  version: '1.0.0',
  shortName: 'Admin Bot${{APP_NAME_SUFFIX}}',
  fullName: 'Tenant admin bot for Microsoft 365 and Teams',
  shortDescription: 'Microsoft 365 and Teams admin commands in chat, with MFA and approvals.',
  fullDescription:
    'Run Microsoft 365 and Teams admin commands from chat: look up users, admins without MFA, policies and teams. ' +
    'Every command runs on Microsoft Graph as the signed-in admin. Changes need a fresh MFA (Conditional Access ' +
    "authentication context), the most dangerous ones a second admin's approval in a card, and everything is audited.",
  accentColor: '#1F4E79',
};

export function buildTeamsManifest(
  commands: readonly AnyCommand[],
  app: AppIdentity = APP_IDENTITY,
): Record<string, unknown> {
  return {
    $schema: MANIFEST_SCHEMA_URL,
    manifestVersion: MANIFEST_VERSION,
    version: app.version,
    id: '${{TEAMS_APP_ID}}',
    developer: {
      name: '${{APP_DEVELOPER_NAME}}',
      websiteUrl: '${{APP_WEBSITE_URL}}',
      privacyUrl: '${{APP_PRIVACY_URL}}',
      termsOfUseUrl: '${{APP_TERMS_URL}}',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    name: { short: app.shortName, full: app.fullName },
    description: { short: app.shortDescription, full: app.fullDescription },
    accentColor: app.accentColor,
    bots: [
      {
        botId: '${{BOT_ID}}',
        scopes: [...BOT_SCOPES],
        isNotificationOnly: false,
        supportsCalling: false,
        supportsVideo: false,
        // File consent cards (CSV results, audit exports: bot/teams/file-delivery.ts) need it, in 1:1 chats.
        supportsFiles: true,
        commandLists: [
          { scopes: ['personal'], commands: menuCommands(commands, MENU.personal) },
          { scopes: ['team', 'groupChat'], commands: menuCommands(commands, MENU.shared) },
        ],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    // The bot's own host serves /auth/start and /auth/callback; token.botframework.com is where Teams SSO falls back.
    validDomains: ['${{BOT_DOMAIN}}', 'token.botframework.com'],
    webApplicationInfo: { id: '${{BOT_ID}}', resource: 'api://botid-${{BOT_ID}}' },
    defaultInstallScope: 'personal',
  };
}
