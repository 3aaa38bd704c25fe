import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';

/**
 * One attempt's per-request state, handed through the client's middleware chain: the timeout signal for the
 * fetch, and whether the request got as far as the network. A failure before that point (e.g. the token could
 * not be acquired) is not a Graph fault and must not be retried or reported as one.
 */
export class AttemptTracker implements MiddlewareOptions {
  sent = false;
  constructor(
    readonly signal: AbortSignal,
    readonly timeoutMs: number,
  ) {}
}

/** Sits right before the fetch: attaches the attempt's timeout and marks the attempt as sent. */
export class AttemptMiddleware implements Middleware {
  private next?: Middleware;

  async execute(context: Context): Promise<void> {
    const tracker = context.middlewareControl?.getMiddlewareOptions(AttemptTracker) as AttemptTracker | undefined;
    if (tracker) {
      context.options = { ...context.options, signal: tracker.signal };
      tracker.sent = true;
    }
    if (!this.next) throw new Error('AttemptMiddleware needs a next middleware');
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
