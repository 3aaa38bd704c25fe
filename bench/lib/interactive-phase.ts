// The interactive phase of the bench (issue 14 targets): a read, the posture query and a write, one at a time in one
// conversation, next to the echo bot's answer time for a single turn measured in the same run.
import type { Activity } from 'botbuilder';
import type { DevTenant } from '../../devtenant/index.js';
import type { ConnectorStandIn } from '../../test/helpers/connector.js';
import { readReply } from '../../test/identity/harness.js';
import { measureInteractive, type InteractiveResult } from './interactive.js';
import { NOT_AN_ANSWER, timedTurn } from './load.js';
import { isSignInLink } from './sign-in.js';
import { latencyStats, type LatencyStats } from './stats.js';

export interface InteractivePhase {
  graphLatencyMs: number;
  /** The echo bot's single-turn answer time (the floor of Teams → bot → Teams on this machine). */
  echo: LatencyStats;
  commands: InteractiveResult[];
}

export async function measureInteractivePhase(
  dev: DevTenant,
  botUrl: string,
  echoUrl: string,
  connector: ConnectorStandIn,
  activity: (text: string) => Partial<Activity>,
  options: {
    read: string;
    write: string;
    runs: number;
    delayMs: number;
    followStepUp(url: string): Promise<void>;
    botCpuMs(): number | undefined;
  },
): Promise<InteractivePhase> {
  const send = async (command: string) => {
    const turn = await timedTurn(botUrl, connector, activity(command));
    if (!NOT_AN_ANSWER.test(turn.text)) return turn;
    // A write needs an MFA of the last 15 minutes: a step-up card is answered like a person would, then it runs.
    const last = connector.replies.filter((r) => r.conversationId === activity(command).conversation!.id).at(-1);
    const url = last ? readReply(last).url : undefined;
    if (!isSignInLink(url)) throw new Error(`"${command}" answered: ${turn.text.slice(0, 120)}`);
    await options.followStepUp(url!);
    const again = await timedTurn(botUrl, connector, activity(command));
    if (NOT_AN_ANSWER.test(again.text)) throw new Error(`"${command}" answered: ${again.text.slice(0, 120)}`);
    return again;
  };
  // One unmeasured turn each: the first command after sign-in pays for cold paths (token cache, prepared SQL).
  for (const command of [options.read, 'admins nomfa', options.write]) await send(command);
  const commands: InteractiveResult[] = [];
  for (const command of [options.read, 'admins nomfa', options.write])
    commands.push(await measureInteractive(dev, command, options.runs, options.delayMs, send, options.botCpuMs));
  const echo: number[] = [];
  for (let i = 0; i < options.runs; i++)
    echo.push((await timedTurn(echoUrl, connector, activity('whoami'))).firstReplyMs);
  return { graphLatencyMs: options.delayMs, echo: latencyStats(echo), commands };
}
