/**
 * OData helpers. Every value typed by a user goes through `odataLiteral` before it reaches a `$filter` or a key
 * segment: a single quote is doubled (OData's only escape inside string literals), so `o'brien` cannot close the
 * literal and inject a clause. Query values are then percent-encoded by `withQuery`.
 */
export function odataLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export type QueryValue = string | number | boolean | string[] | undefined;

/**
 * Appends OData/query options to a path. The Graph client passes query text through as-is, so values are
 * encoded here (`encodeURIComponent` also encodes `&` and `=`, which keeps the client's own splitting safe).
 * Arrays are comma-joined (`$select`, `$expand`).
 */
export function withQuery(path: string, query: Record<string, QueryValue>): string {
  const parts = Object.entries(query)
    .filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `${key}=${encodeURIComponent(Array.isArray(value) ? value.join(',') : String(value))}`);
  if (parts.length === 0) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/**
 * The path of a user by object id or UPN. A UPN is addressed as `users('…')` (escaped, encoded): Graph requires
 * that form for UPNs starting with `$`, and it is valid for every UPN, so one form serves all.
 */
export function userPath(idOrUpn: string): string {
  return isGuid(idOrUpn) ? `/users/${idOrUpn}` : `/users(${encodeURIComponent(odataLiteral(idOrUpn))})`;
}
