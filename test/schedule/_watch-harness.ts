import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { CommandRegistry } from '../../bot/commands/registry.js';
import { catalog } from '../helpers/catalog.js';
import { ScheduleRepository, type ScheduleRow } from '../../bot/schedule/repository.js';
import type { DevTenant, DevTenantOptions } from '../../devtenant/index.js';
import type { RequestLogEntry } from '../../devtenant/graph/request-log.js';
import { APP_IDS } from '../../devtenant/seed/index.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import {
  followSignInLink,
  fromUser,
  say,
  startIdentityBot,
  teamsUser,
  waitReplies,
  type CardReply,
  type IdentityBot,
  type TeamsUser,
} from '../identity/harness.js';

export const GROUP = (tenantId: string) => ({
  id: '19:watch@thread.v2',
  conversationType: 'groupChat',
  isGroup: true,
  tenantId,
  name: 'Admins',
});

/** A bot with the reports app and a scheduler on a test clock, an admin in a group chat, and the watch's runs. */
export class WatchHarness {
  dev!: DevTenant;
  ib!: IdentityBot;
  admin!: TeamsUser;
  repo!: ScheduleRepository;
  now = Date.now();
  /** Whether the last `run` was held for a sign-in or step-up link. */
  held = false;
  /** The Graph requests of the last `tick` (the stand-in's log: direct and inside $batch). */
  lastRun: RequestLogEntry[] = [];

  async start(options: Partial<DevTenantOptions> = {}): Promise<void> {
    this.dev = await startTestDevTenant(options);
    const registry = new CommandRegistry(
      catalog(
        'schedule add',
        'schedule remove',
        'admins report',
        'mfa report',
        'watch add',
        'watch check',
        'watch list',
        'watch remove',
      ),
    );
    const certificate = this.dev.identity.reportsCertificate;
    this.ib = await startIdentityBot(
      this.dev,
      {
        TEAMS_SSO: 'false',
        REPORTS_APP_ID: APP_IDS.reports,
        REPORTS_CERT_THUMBPRINT_SHA256: certificate.thumbprintSha256,
        REPORTS_PRIVATE_KEY_FILE: certificate.privateKeyPath,
      },
      registry,
      { scheduler: { clock: () => this.now, intervalMs: 0 } },
    );
    this.admin = teamsUser(this.dev, 'admin');
    this.repo = new ScheduleRepository(this.ib.bot.store.db);
  }

  async close(): Promise<void> {
    await this.ib?.close();
    await this.dev?.close();
  }

  inGroup(text: string) {
    const conversation = GROUP(this.dev.tenant.id) as Activity['conversation'];
    return fromUser(this.admin, this.dev, this.ib.connector, { text, conversation });
  }

  async watch(): Promise<ScheduleRow> {
    return (await this.repo.inConversation(GROUP(this.dev.tenant.id).id))[0];
  }

  /** Says `text` in the group chat, following sign-in and step-up links as the admin. */
  async run(text: string): Promise<CardReply[]> {
    let replies = await say(this.ib, this.inGroup(text));
    this.held = false;
    for (let hops = 0; replies.at(-1)?.url && hops < 3; hops++) {
      this.held = true;
      const since = this.ib.connector.replies.length;
      await followSignInLink(this.ib, this.dev, replies.at(-1)!.url!, this.admin);
      replies = await waitReplies(this.ib, since, 2);
    }
    return replies;
  }

  /**
   * Runs the due watch once, checking it used only the reports app and got only `expectedStatuses`; returns what it
   * posted (nothing, or a card).
   */
  async tick(expectedStatuses: number[] = [200]): Promise<CardReply | undefined> {
    const row = await this.watch();
    this.now = row.next_run_at + 1_000;
    const since = this.ib.connector.replies.length;
    this.dev.graph.clearLog();
    assert.equal(await this.ib.bot.scheduler!.tick(), 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    this.lastRun = [...this.dev.graph.requestLog];
    const posted = this.ib.connector.replies.slice(since);
    assert.ok(posted.length <= 1);
    assert.deepEqual(
      [...new Set(this.lastRun.filter((e) => !e.fault).map((e) => `${e.appId}/${e.userId}`))],
      [`${APP_IDS.reports}/null`],
      'every Graph request of the run is the reports app, app-only',
    );
    assert.ok(this.lastRun.every((e) => expectedStatuses.includes(e.status)));
    return posted.length ? (await waitReplies(this.ib, since, 1))[0] : undefined;
  }
}
