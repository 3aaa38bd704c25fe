/**
 * Secrets the tests handle (passwords, TOTP secrets, client secrets, codes). Tests register them as they use
 * them; the final log scan (test/zz-log-secrets.test.ts) fails if any appears in the run's log output.
 */
const secrets = new Set<string>();

export function registerTestSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

export function knownTestSecrets(): string[] {
  return [...secrets];
}
