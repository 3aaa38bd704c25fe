/**
 * Rate limits are always on (there is no switch). Tests whose bursts are about something else — exactly-once under
 * 1,000 clicks, many instances — raise every limit to its maximum instead; the limits have their own tests
 * (test/security/rate-limits.test.ts).
 */
export const RAISED_RATE_LIMITS: Record<string, string> = {
  RATE_LIMIT_COMMANDS_PER_USER_PER_MINUTE: '100000',
  RATE_LIMIT_CHANGES_PER_USER_PER_MINUTE: '100000',
  RATE_LIMIT_COMMANDS_PER_TENANT_PER_MINUTE: '100000',
  RATE_LIMIT_SIGNINS_PER_USER_PER_10_MINUTES: '100000',
  RATE_LIMIT_AUTH_PER_IP_PER_10_MINUTES: '100000',
};
