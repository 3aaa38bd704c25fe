// Headless Debian Chromium through playwright-core, locked to loopback: the resolver maps every name but
// localhost/127.0.0.1 to NOTFOUND (Chromium's own background lookups), page requests to other hosts are aborted,
// and only the devtenant's server certificate is accepted besides the system's (by its key, no blanket bypass).
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface TestBrowser {
  context: BrowserContext;
  /** Requests the browser tried to send off the machine (aborted). */
  blocked: string[];
  close(): Promise<void>;
}

function spkiHash(certificatePem: string): string {
  const der = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export async function launchBrowser(options: {
  trustCertificatePem: string;
  rewrite?: { from: string; to: string };
}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    // Never a skip: CI installs it (.ci/run), and a missing browser must fail the run.
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'admin-bot-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
      `--ignore-certificate-errors-spki-list=${spkiHash(options.trustCertificatePem)}`,
    ],
  });
  // Generous: the machine running the suite may be busy; every wait is on a locator, never a fixed sleep.
  context.setDefaultTimeout(60_000);
  context.setDefaultNavigationTimeout(60_000);
  const blocked: string[] = [];
  const rewrite = options.rewrite;
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return route.continue();
    if (!isLoopback(url)) {
      blocked.push(url.origin);
      return route.abort('blockedbyclient');
    }
    if (rewrite && url.href.startsWith(rewrite.from)) {
      // The bot's registered public URL → its real port (a reverse proxy, as in production). Redirects are passed
      // back to the browser untouched so cookies and the sign-in flow behave exactly as without the proxy.
      const response = await route.fetch({ url: rewrite.to + url.href.slice(rewrite.from.length), maxRedirects: 0 });
      return route.fulfill({ response });
    }
    return route.continue();
  });
  if (rewrite) {
    // Chromium does not let Playwright intercept the *redirected* hop of a navigation (the identity provider's
    // redirect to the bot's callback), so that hop fails on the unused public port: replay it on the real one.
    context.on('requestfailed', (request) => {
      if (!request.isNavigationRequest() || !request.url().startsWith(rewrite.from)) return;
      const target = rewrite.to + request.url().slice(rewrite.from.length);
      let frame;
      try {
        frame = request.frame();
      } catch {
        // A popup's very first navigation has no frame object yet: its page is the blank one.
        frame = context
          .pages()
          .find((p) => p.url() === 'about:blank' || p.url().startsWith('chrome-error:'))
          ?.mainFrame();
      }
      frame?.goto(target).catch(() => undefined);
    });
  }
  return {
    context,
    blocked,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function devtenantServerCertificate(stateDir: string): string {
  return readFileSync(join(stateDir, 'devtenant', 'identity-server.crt.pem'), 'utf8');
}
