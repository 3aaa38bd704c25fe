// The Teams app manifest, generated from the command registry so the compose-box command menu can never drift from
// what the bot actually understands. Placeholders `${{…}}` are filled by the Agents Toolkit from env/.env.<env>.
import type { AnyCommand } from '../../bot/commands/types.js';

export const MANIFEST_VERSION = '1.30';
export const MANIFEST_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
/** Teams shows at most 10 commands per scope in the command menu (documented limit; older schemas enforce it). */
export const MAX_MENU_COMMANDS = 10;
const MAX_TITLE = 32;
const MAX_DESCRIPTION = 128;
/** Commands a newcomer needs first. */
const MENU_FIRST = ['help', 'whoami'];
const BOT_SCOPES = ['personal', 'team', 'groupChat'] as const;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface MenuCommand {
  title: string;
  description: string;
}

/**
 * The command menu: `help` and `whoami`, then one lead command per area (its read command with the fewest words:
 * `user`, `teams`, `admins nomfa`…), shorter names first when there are more areas than slots. `help` lists the rest.
 */
export function menuCommands(commands: readonly AnyCommand[]): MenuCommand[] {
  const words = (c: AnyCommand) => c.name.split(' ').length;
  const first = MENU_FIRST.map((name) => commands.find((c) => c.name === name)).filter(
    (c): c is AnyCommand => c !== undefined,
  );
  const leads = new Map<string, AnyCommand>();
  for (const command of commands) {
    if (command.tier !== 'read' || first.some((f) => f.area === command.area)) continue;
    const current = leads.get(command.area);
    if (!current || words(command) < words(current)) leads.set(command.area, command);
  }
  const chosen = new Set(
    [...leads.values()]
      .sort((a, b) => words(a) - words(b) || commands.indexOf(a) - commands.indexOf(b))
      .slice(0, MAX_MENU_COMMANDS - first.length),
  );
  return [...first, ...commands.filter((c) => chosen.has(c))].map((command) => ({
    title: clip(command.name, MAX_TITLE),
    description: clip(
      command.usage === command.name ? command.summary : `${command.summary} Usage: ${command.usage}`,
      MAX_DESCRIPTION,
    ),
  }));
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
        commandLists: [{ scopes: [...BOT_SCOPES], commands: menuCommands(commands) }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    // The bot's own host serves /auth/start and /auth/callback; token.botframework.com is where Teams SSO falls back.
    validDomains: ['${{BOT_DOMAIN}}', 'token.botframework.com'],
    webApplicationInfo: { id: '${{BOT_ID}}', resource: 'api://botid-${{BOT_ID}}' },
    defaultInstallScope: 'personal',
  };
}
