import { formatTime } from '../_lib/user-detail.js';

/** An entry of `GET /users/{id}/authentication/methods` (polymorphic on `@odata.type`). */
export interface AuthMethod {
  '@odata.type'?: string;
  id: string;
  createdDateTime?: string | null;
  [property: string]: unknown;
}

interface MethodKind {
  label: string;
  /** Navigation property under `/users/{id}/authentication/` that deletes this type (v1.0 CSDL). */
  segment?: string;
  /** Counts as a second factor (password, email and TAP do not). */
  mfa: boolean;
}

const KINDS: Record<string, MethodKind> = {
  passwordAuthenticationMethod: { label: 'Password', mfa: false },
  phoneAuthenticationMethod: { label: 'Phone', segment: 'phoneMethods', mfa: true },
  microsoftAuthenticatorAuthenticationMethod: {
    label: 'Microsoft Authenticator',
    segment: 'microsoftAuthenticatorMethods',
    mfa: true,
  },
  fido2AuthenticationMethod: { label: 'FIDO2 security key', segment: 'fido2Methods', mfa: true },
  softwareOathAuthenticationMethod: { label: 'Software OATH token', segment: 'softwareOathMethods', mfa: true },
  windowsHelloForBusinessAuthenticationMethod: {
    label: 'Windows Hello for Business',
    segment: 'windowsHelloForBusinessMethods',
    mfa: true,
  },
  platformCredentialAuthenticationMethod: {
    label: 'Platform credential',
    segment: 'platformCredentialMethods',
    mfa: true,
  },
  emailAuthenticationMethod: { label: 'Email (password reset only)', segment: 'emailMethods', mfa: false },
  temporaryAccessPassAuthenticationMethod: {
    label: 'Temporary Access Pass',
    segment: 'temporaryAccessPassMethods',
    mfa: false,
  },
};

/** `#microsoft.graph.phoneAuthenticationMethod` → its kind; unknown types keep their name and have no delete path. */
export function methodKind(method: AuthMethod): MethodKind & { type: string } {
  const type = String(method['@odata.type'] ?? '').replace(/^#?microsoft\.graph\./, '');
  return { type, ...(KINDS[type] ?? { label: type || 'Unknown method', mfa: false }) };
}

export function isPassword(method: AuthMethod): boolean {
  return methodKind(method).type === 'passwordAuthenticationMethod';
}

/** What identifies the method to an admin: device, number or key model, and when it was added. */
export function methodDetail(method: AuthMethod): string {
  const parts = [method.displayName, method.phoneNumber, method.phoneType, method.model, method.emailAddress].filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  if (methodKind(method).type === 'temporaryAccessPassAuthenticationMethod') {
    parts.push(
      method.isUsable === true ? 'usable now' : `not usable (${String(method.methodUsabilityReason ?? 'expired')})`,
    );
  }
  if (method.createdDateTime) parts.push(`added ${formatTime(method.createdDateTime)}`);
  return parts.join(' · ') || method.id;
}
