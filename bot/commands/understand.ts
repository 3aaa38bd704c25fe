import { UnknownCommandError } from '../errors.js';
import { PhraseMatcher, binds, decide, type Candidate } from './_matcher/index.js';
import { commandOfCall, toolsFor } from './_matcher/tools.js';
import type { PhraseModel, PhraseTool } from './ports-phrasing.js';
import type { CommandRegistry } from './registry.js';
import { closestNames } from './suggest.js';
import { TIER_PRESENTATION } from './tiers.js';
import type { CommandOutput } from './types.js';

const matchers = new WeakMap<CommandRegistry, PhraseMatcher>();
const tools = new WeakMap<CommandRegistry, PhraseTool[]>();

function matcherFor(registry: CommandRegistry): PhraseMatcher {
  let matcher = matchers.get(registry);
  if (!matcher) matchers.set(registry, (matcher = new PhraseMatcher(registry.all())));
  return matcher;
}

/** The answer to free text: a command to run as if typed, or a card that offers commands (already sent). */
export type Understood = { run: string } | { offered: CommandOutput };

/**
 * What free text that names no command means. A read command clearly meant (far ahead of the others, every
 * argument found) comes back to be run as if typed, through the same gate, tiers and audit; anything else —
 * always a write or dangerous command — becomes a "Did you mean…" card whose buttons carry the full commands, so
 * nothing changes the tenant before the admin has seen and clicked the exact command. Nothing close: the
 * unknown-command error, as before.
 */
export async function understand(
  text: string,
  words: string[],
  registry: CommandRegistry,
  model?: PhraseModel,
): Promise<Understood> {
  const reading = matcherFor(registry).read(text);
  if (reading.candidates.length === 0) {
    const proposed = model ? await proposal(text, registry, model) : undefined;
    if (proposed) return { offered: didYouMean([proposed], registry, true) };
    throw new UnknownCommandError(words.slice(0, 3).join(' '), closestNames(words, registry.names()));
  }
  const { run } = decide(reading);
  if (run) return { run: run.text };
  return { offered: didYouMean(reading.candidates, registry) };
}

/** What the language model proposes (checked: an existing command, its own arguments, short plain values). */
async function proposal(text: string, registry: CommandRegistry, model: PhraseModel): Promise<Candidate | undefined> {
  let commandTools = tools.get(registry);
  if (!commandTools) tools.set(registry, (commandTools = toolsFor(registry.all())));
  const call = await model.propose(text, commandTools);
  const proposed = call && commandOfCall(registry.all(), call);
  if (!proposed) return undefined;
  return { ...proposed, score: 0, complete: binds(proposed.command, proposed.text), dropped: 0 };
}

/** Button titles stay short (Teams cuts long ones); the card's body shows each command in full. */
function buttonTitle(text: string): string {
  return text.length <= 48 ? text : `${text.slice(0, 47)}…`;
}

/** The "Did you mean…" card: up to three commands with one-click buttons, and help for the area of the first. */
export function didYouMean(
  candidates: readonly Candidate[],
  registry: CommandRegistry,
  byModel = false,
): CommandOutput {
  const shown = candidates.slice(0, 3);
  const area = shown[0].command.area;
  // `help <area>` lists the area; where a command has the area's name, help on the first command instead.
  const helpText = registry.find(area) ? `help ${shown[0].command.name}` : `help ${area}`;
  const suggestions = shown.map((c) => ({
    text: c.text,
    title: buttonTitle(c.text),
    summary: c.complete ? c.command.summary : `${c.command.summary} Some arguments are missing: running it shows how.`,
    tierLabel: TIER_PRESENTATION[c.command.tier].label,
    tierColor: TIER_PRESENTATION[c.command.tier].color,
  }));
  return {
    card: 'did-you-mean',
    data: {
      suggestions,
      helpText,
      note: byModel ? 'Proposed by the language model from your words: read the command before you run it.' : '',
    },
    text: `Did you mean: ${shown.map((c) => c.text).join(', ')}? Nothing was run.`,
  };
}
