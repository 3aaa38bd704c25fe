// The Agents Playground UI as a test drives it (selectors from its accessibility tree, see
// shared/reference/agents-playground.md §6): type into the compose box, read Adaptive Cards, take screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';

export const ARTIFACTS_DIR = join(import.meta.dirname, '..', '..', '..', 'test-results', 'e2e');
/** Set UPDATE_SCREENSHOTS=1 to refresh the README's screenshots from a test run. */
const DOCS_DIR = join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots');

export class PlaygroundPage {
  private constructor(readonly page: Page) {}

  static async open(context: BrowserContext, url: string): Promise<PlaygroundPage> {
    const page = await context.newPage();
    // Not "load": that waits for every font and worklet, and the CDN ones are aborted (offline by design).
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.getByRole('textbox').waitFor();
    return new PlaygroundPage(page);
  }

  /** Types a message as the Playground's user and sends it. */
  async send(text: string): Promise<void> {
    await this.page.getByRole('textbox').click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  /** In a group chat or channel the bot only hears @mentions: type "@", pick the bot, then the command. */
  async mention(botName: string, text: string): Promise<void> {
    await this.page.getByRole('textbox').click();
    await this.page.keyboard.type(`@${botName.split(' ')[0]}`);
    await this.page
      .getByRole('listbox', { name: 'Typeahead menu' })
      .getByRole('menuitem', { name: new RegExp(botName) })
      .click();
    await this.page.keyboard.type(` ${text}`);
    await this.page.keyboard.press('Enter');
  }

  /** The most recent Adaptive Card whose text matches. */
  card(text: string | RegExp): Locator {
    return this.page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
  }

  /**
   * Starts recording the bot's messages from the Playground's conversation stream (the UI's own WebSocket feed,
   * reference §8) in the page, for ids the UI does not show (a card's message id, to click it as someone else).
   */
  async recordBotMessages(playgroundUrl: string): Promise<void> {
    const url = `${playgroundUrl.replace(/^http/, 'ws')}/_ws_conversation/v1/conversations/stream`;
    // A string, evaluated in the page: this project's TypeScript has no DOM types.
    await this.page.evaluate(`new Promise((resolve) => {
      window.botFrames = [];
      const socket = new WebSocket(${JSON.stringify(url)});
      socket.onmessage = (event) => window.botFrames.push(JSON.parse(String(event.data)));
      socket.onopen = resolve;
    })`);
  }

  /** The id of the latest recorded bot message whose content contains `text`. */
  async recordedMessageId(text: string): Promise<string | undefined> {
    const frames = (await this.page.evaluate('window.botFrames || []')) as {
      action?: string;
      message?: { messageId?: string };
    }[];
    const found = frames.filter((f) => f.action === 'createMessage' && JSON.stringify(f).includes(text));
    return found.at(-1)?.message?.messageId;
  }

  conversation(name: string): Locator {
    return this.page.getByRole('treeitem', { name });
  }

  async screenshot(name: string, target?: Locator): Promise<string> {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const path = join(ARTIFACTS_DIR, `${name}.png`);
    const shot = target ? await target.screenshot({ path }) : await this.page.screenshot({ path });
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(DOCS_DIR, { recursive: true });
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(DOCS_DIR, `${name}.png`), shot);
    }
    return path;
  }
}
