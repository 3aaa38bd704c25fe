import { isSwitch, objectShape } from '../bind-args.js';
import type { PhraseTool, PhraseToolCall } from '../ports-phrasing.js';
import type { AnyCommand } from '../types.js';
import { renderCommand } from './place.js';

/** Paging state is the bot's, never the admin's (or a model's) to set. */
const INTERNAL_ARGS = new Set(['cursor', 'page']);
const MAX_VALUE = 256;

/** `user mfa reset` → `user_mfa_reset` (tool names allow letters, digits, `_` and `-`). */
export function toolName(command: AnyCommand): string {
  return command.name.replace(/ /g, '_');
}

function argumentKeys(command: AnyCommand): { positional: string[]; flags: string[]; switches: Set<string> } {
  const shape = objectShape(command.args.schema);
  const positional = command.args.positional.map((p) => p.replace('...', ''));
  const flags = Object.keys(shape).filter((k) => !positional.includes(k) && !INTERNAL_ARGS.has(k));
  return { positional, flags, switches: new Set(flags.filter((k) => isSwitch(shape, k))) };
}

/** The commands as tools: name, what it does with its syntax, and its arguments (strings, switches as booleans). */
export function toolsFor(commands: readonly AnyCommand[]): PhraseTool[] {
  return commands.map((command) => {
    const { positional, flags, switches } = argumentKeys(command);
    const shape = objectShape(command.args.schema);
    const properties = Object.fromEntries(
      [...positional, ...flags].map((key) => [key, { type: switches.has(key) ? 'boolean' : 'string' }]),
    );
    return {
      name: toolName(command),
      description: `${command.summary} Usage: ${command.usage}`,
      parameters: {
        type: 'object',
        properties,
        required: positional.filter((key) => !shape[key]?.isOptional()),
        additionalProperties: false,
      },
    };
  });
}

/**
 * The command text for a model's tool call, or undefined when the call names no command or carries anything but
 * short single-line strings (and `true` for switches) for the command's own arguments.
 */
export function commandOfCall(
  commands: readonly AnyCommand[],
  call: PhraseToolCall,
): { command: AnyCommand; text: string } | undefined {
  const command = commands.find((c) => toolName(c) === call.name);
  if (!command) return undefined;
  const { positional, flags, switches } = argumentKeys(command);
  const values: Record<string, string | true> = {};
  for (const [key, value] of Object.entries(call.arguments)) {
    if (!positional.includes(key) && !flags.includes(key)) return undefined;
    if (switches.has(key)) {
      if (value === true) values[key] = true;
      else if (value !== false) return undefined;
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    const text = String(value).trim();
    if (!text) continue;
    if (text.length > MAX_VALUE || /[\r\n]/.test(text)) return undefined;
    values[key] = text;
  }
  const text = renderCommand(command, values, flags);
  return text ? { command, text } : undefined;
}
