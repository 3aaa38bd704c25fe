// What `npm start` prints once everything answers: where to click, who you are, how to pass MFA. The demo
// accounts' passwords and TOTP secrets are fixed development values of the seed (never real credentials).
import { relative } from 'node:path';
import qrcode from 'qrcode-terminal';
import { otpauthUri } from '../../devtenant/identity/mfa.js';
import {
  DEMO_TENANT_NAME,
  FIXED_ACCOUNTS,
  ROLE_DISPLAY_NAMES,
  stableBase32Secret,
  type FixedAccount,
} from '../../devtenant/seed/index.js';
import { PLAYGROUND_APPROVER, PLAYGROUND_CURRENT_USER } from './playground-config.js';
import type { DemoStack } from './stack.js';

export const TOTP_COMMAND = 'npm run --silent totp --';

function qr(text: string): Promise<string> {
  return new Promise((resolve) => qrcode.generate(text, { small: true }, resolve));
}

function account(key: FixedAccount['key']): FixedAccount {
  return FIXED_ACCOUNTS.find((a) => a.key === key)!;
}

export function enrolmentUri(a: FixedAccount): string {
  return otpauthUri(a.upn, DEMO_TENANT_NAME, stableBase32Secret(a.upn));
}

export async function banner(stack: DemoStack, root: string, startedMs: number): Promise<string> {
  const admins = [account(PLAYGROUND_CURRENT_USER), account(PLAYGROUND_APPROVER)];
  const roles = (a: FixedAccount) => a.roles.map((r) => ROLE_DISPLAY_NAMES[r] ?? r).join(', ');
  const width = Math.max(...admins.map((a) => a.upn.length));
  const out: string[] = [
    '',
    `Teams admin bot: local demo on the "${DEMO_TENANT_NAME}" devtenant is ready (${(startedMs / 1000).toFixed(1)} s).`,
    '',
    `  Open the Agents Playground:  ${stack.playgroundUrl}/`,
    `  bot                          ${stack.botUrl}/api/messages`,
    `  devtenant                    identity ${stack.devtenant.identity}   graph ${stack.devtenant.graph}`,
    '',
    'Demo admins (development-only credentials of the seeded tenant):',
    ...admins.map(
      (a, i) =>
        `  ${a.upn.padEnd(width)}  ${a.password.padEnd(18)}  ${roles(a)}${i === 0 ? '  <- the Playground user' : '  <- approves in the group chat and team'}`,
    ),
    '',
    'Commands that work on the tenant ask you to sign in: the card opens the devtenant sign-in page in a new tab',
    `(its certificate is from the demo's own CA, ${relative(root, stack.devtenant.caFile)}: trust it or click ` +
      `through the warning).`,
    `Second factor: scan a QR code below with an authenticator app, or print the current code with`,
    ...admins.map((a) => `  ${TOTP_COMMAND} ${a.upn}`),
  ];
  for (const a of admins) {
    out.push('', `TOTP enrolment for ${a.upn}:`, await qr(enrolmentUri(a)));
  }
  out.push(`Logs: ${relative(root, stack.logsDir)}/{devtenant,bot,playground}.log   Ctrl-C stops everything.`, '');
  return out.join('\n');
}
