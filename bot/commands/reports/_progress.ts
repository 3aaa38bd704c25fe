import type { PostedMessage } from '../ports.js';
import type { CommandContext, CommandOutput } from '../types.js';

/** A report still running after this long shows a progress card (so the first one is up within ~2 s). */
export const PROGRESS_AFTER_MS = 1_500;
/** Updates in place at most this often (each is a Bot Framework call; Teams throttles message edits). */
const UPDATE_EVERY_MS = 2_000;

/**
 * The progress card of a long report: posted once the report has run for PROGRESS_AFTER_MS, updated in place as
 * pages arrive, and closed with a one-line outcome (the report itself is the command's answer). Nothing is posted
 * for scheduled runs (nobody watches; the scheduler posts the result) or where the bot has no messenger.
 */
export class ReportProgress {
  private posted?: Promise<PostedMessage | undefined>;
  private timer?: NodeJS.Timeout;
  private lastUpdate = 0;
  private status = 'Starting…';
  private closed = false;

  constructor(
    private readonly ctx: CommandContext,
    private readonly title: string,
    afterMs = PROGRESS_AFTER_MS,
  ) {
    const { messenger } = ctx.services;
    // afterMs < 0: a run nobody watches (a watch's check), which only its result may post.
    if (!messenger || !ctx.address || ctx.session?.app || afterMs < 0) return;
    const address = ctx.address;
    this.timer = setTimeout(() => {
      this.posted = messenger.post(address, this.output()).catch((err: unknown) => {
        ctx.log.warn({ err: String(err) }, 'progress card could not be posted');
        return undefined;
      });
      this.lastUpdate = Date.now();
    }, afterMs);
    this.timer.unref();
  }

  /** New progress text; shown at most every UPDATE_EVERY_MS. */
  report(status: string): void {
    this.status = status;
    if (!this.posted || this.closed || Date.now() - this.lastUpdate < UPDATE_EVERY_MS) return;
    this.lastUpdate = Date.now();
    void this.push();
  }

  /** Ends the progress card (if one was posted) with `status`. */
  async close(status: string): Promise<void> {
    clearTimeout(this.timer);
    if (this.closed) return;
    this.closed = true;
    this.status = status;
    if (this.posted) await this.push();
  }

  private async push(): Promise<void> {
    const message = await this.posted;
    if (!message) return;
    await this.ctx.services.messenger
      ?.update(message, this.output())
      .catch((err: unknown) => this.ctx.log.warn({ err: String(err) }, 'progress card could not be updated'));
  }

  private output(): CommandOutput {
    const text = `${this.title}: ${this.status}`;
    return { card: 'notice', data: { title: this.title, message: this.status, actions: [] }, text };
  }
}
