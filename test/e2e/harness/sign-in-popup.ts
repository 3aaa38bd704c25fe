// The sign-in window a card's button opens: the devtenant's Entra-like pages (password, then the authenticator
// code computed from the seeded TOTP secret when MFA is asked), ending on the bot's own result page.
import { authenticator } from 'otplib';
import type { Locator, Page } from 'playwright-core';
import { stableBase32Secret, type FixedAccount } from '../../../devtenant/seed/index.js';

export interface SignInOutcome {
  /** Whether the identity provider asked for the second factor. */
  askedForCode: boolean;
  /** The bot's page at the end. */
  resultText: string;
}

/** Clicks `button` (it opens a new window) and returns that window. */
export async function openPopup(page: Page, button: Locator): Promise<Page> {
  const [popup] = await Promise.all([page.context().waitForEvent('page'), button.click()]);
  await popup.waitForLoadState('domcontentloaded');
  return popup;
}

/** Clicks a form's submit button and waits until another document has replaced this one. */
async function submit(popup: Page, button: Locator): Promise<void> {
  await popup.evaluate(() => {
    (globalThis as { leaving?: boolean }).leaving = true;
  });
  await button.click();
  await popup.waitForFunction(() => !(globalThis as { leaving?: boolean }).leaving);
}

/** Fills whatever the devtenant asks (password page, code page) until the bot's callback page is shown. */
export async function completeSignIn(popup: Page, account: FixedAccount, botOrigins: string[]): Promise<SignInOutcome> {
  let askedForCode = false;
  const password = popup.locator('input[name="password"]');
  const code = popup.locator('input[name="otc"]');
  const atCallback = (url: URL) => botOrigins.some((origin) => url.href.startsWith(`${origin}/auth/callback`));
  for (let step = 0; step < 4 && !atCallback(new URL(popup.url())); step++) {
    // Whichever comes next: the password page, the code page, or the bot's page at the end of the flow.
    await Promise.race([password.waitFor(), code.waitFor(), popup.waitForURL(atCallback)]);
    if (atCallback(new URL(popup.url()))) break;
    if (await password.isVisible()) {
      const username = popup.locator('input[name="username"]');
      if ((await username.inputValue()) === '') await username.fill(account.upn);
      await password.fill(account.password);
      await submit(popup, popup.getByRole('button', { name: 'Sign in' }));
    } else if (await code.isVisible()) {
      askedForCode = true;
      await code.fill(authenticator.generate(stableBase32Secret(account.upn)));
      await submit(popup, popup.locator('form button[type="submit"]'));
    }
  }
  await popup.waitForLoadState('domcontentloaded');
  return { askedForCode, resultText: await popup.locator('body').innerText() };
}
