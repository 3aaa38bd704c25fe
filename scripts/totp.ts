// `npm run --silent totp -- <upn>` — the current TOTP code of a seeded demo account (development secrets only),
// i.e. what its authenticator app would show now, and how many seconds it stays valid.
import { authenticator } from 'otplib';
import { FIXED_ACCOUNTS, stableBase32Secret } from '../devtenant/seed/index.js';

const upn = (process.argv[2] ?? '').toLowerCase();
const account = FIXED_ACCOUNTS.find((a) => a.upn === upn || a.key === upn);
if (!account) {
  console.error(
    `usage: npm run --silent totp -- <upn>\n  one of: ${FIXED_ACCOUNTS.filter((a) => a.mfa)
      .map((a) => a.upn)
      .join(', ')}`,
  );
  process.exit(2);
}
if (!account.mfa) {
  console.error(
    `${account.upn} has no authenticator in the seed: the sign-in page enrols one (scan the QR code it shows).`,
  );
  process.exit(2);
}
authenticator.options = { digits: 6, step: 30 };
const code = authenticator.generate(stableBase32Secret(account.upn));
const remaining = authenticator.timeRemaining();
console.log(process.stdout.isTTY ? `${code}  (valid for ${remaining} s)` : code);
