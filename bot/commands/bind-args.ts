import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { CommandDescriptor } from './types.js';

/** `--readonly-site` → `readonlySite`, so schemas use normal property names. */
function flagToKey(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function keyToFlag(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Peels optional/default/effects wrappers to see what a field really is. */
export function baseType(schema: z.ZodTypeAny): z.ZodTypeAny {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap();
    else if (current instanceof z.ZodDefault) current = current._def.innerType;
    else if (current instanceof z.ZodEffects) current = current.innerType();
    else return current;
  }
}

export function objectShape(schema: z.ZodTypeAny): Record<string, z.ZodTypeAny> {
  const base = baseType(schema);
  return base instanceof z.ZodObject ? (base.shape as Record<string, z.ZodTypeAny>) : {};
}

export function isSwitch(shape: Record<string, z.ZodTypeAny>, key: string): boolean {
  const field = shape[key];
  return field !== undefined && baseType(field) instanceof z.ZodBoolean;
}

/**
 * Binds the words after the command name to its argument schema: positionals in declared order, `--flag value`,
 * `--flag=value`, and switches for boolean fields. Every failure is a UsageError that names the argument, so the
 * usage card can point at it.
 */
export function bindArgs(command: CommandDescriptor, words: string[]): unknown {
  const { positional, schema } = command.args;
  const shape = objectShape(schema);
  const values: Record<string, unknown> = {};
  const loose: string[] = [];

  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word.startsWith('--') && word.length > 2) {
      const [rawFlag, inlineValue] = splitOnce(word.slice(2), '=');
      const key = flagToKey(rawFlag.toLowerCase());
      if (!(key in shape) || positional.some((p) => p.replace('...', '') === key)) {
        throw new UsageError(`Unknown option --${rawFlag}.`, command.name, rawFlag);
      }
      if (key in values) throw new UsageError(`Option --${rawFlag} is given twice.`, command.name, rawFlag);
      if (isSwitch(shape, key)) {
        values[key] = inlineValue === undefined ? true : inlineValue.toLowerCase() !== 'false';
      } else if (inlineValue !== undefined) {
        values[key] = inlineValue;
      } else {
        const next = words[i + 1];
        if (next === undefined || (next.startsWith('--') && next.length > 2)) {
          throw new UsageError(`Option --${rawFlag} needs a value.`, command.name, rawFlag);
        }
        values[key] = next;
        i++;
      }
      continue;
    }
    loose.push(word);
  }

  positional.forEach((name, index) => {
    if (name.endsWith('...')) {
      const rest = loose.slice(index);
      if (rest.length > 0) values[name.slice(0, -3)] = rest.join(' ');
    } else if (loose[index] !== undefined) {
      values[name] = loose[index];
    }
  });
  const taken = positional.some((p) => p.endsWith('...')) ? loose.length : positional.length;
  if (loose.length > taken) {
    throw new UsageError(`Unexpected argument "${loose[taken]}".`, command.name, loose[taken]);
  }

  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = String(issue.path[0] ?? '');
  const shown = positional.some((p) => p.replace('...', '') === key) ? `<${key}>` : `--${keyToFlag(key)}`;
  const message =
    issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined'
      ? `${shown} is required.`
      : issue.code === z.ZodIssueCode.unrecognized_keys
        ? `Unknown option ${issue.keys.map((k: string) => `--${keyToFlag(k)}`).join(', ')}.`
        : `${shown}: ${issue.message}`;
  throw new UsageError(message, command.name, key || undefined);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
