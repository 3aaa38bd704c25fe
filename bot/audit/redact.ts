/** Argument names whose values are secrets or may contain them; their values never reach the audit log. */
const SECRET_ARG = /pass(word)?|secret|token|code|tap|otp|key/i;

export function redactArgs(args: unknown): Record<string, unknown> {
  if (!args || typeof args !== 'object') return {};
  return Object.fromEntries(
    Object.entries(args as Record<string, unknown>)
      .filter(([key]) => key !== 'cursor')
      .map(([key, value]) => [key, SECRET_ARG.test(key) ? '[redacted]' : value]),
  );
}
