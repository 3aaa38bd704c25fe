import type { CommandHarness } from '../../helpers/command-harness.js';
import { messageActivity } from '../../helpers/activities.js';
import { DEMO } from '../../helpers/devtenant.js';
import { converse } from '../../helpers/test-adapter.js';

/**
 * Sends one Graph-backed command before the tests, so connection set-up and first-run compilation are not paid
 * inside a test. teams-ai 1.7.4's `Application.run` starts its typing timer even with `startTypingTimer: false`,
 * so a turn slower than 1 s also emits a `typing` activity, which `harness.ask` would count as a second reply.
 * Replies of the warm-up are discarded (see the report to the lead: `converse` should drop typing activities).
 */
export async function warmUp(harness: CommandHarness): Promise<void> {
  await converse(harness.bot, messageActivity(`user ${DEMO.admin}`));
  harness.dev.graph.clearLog();
}
