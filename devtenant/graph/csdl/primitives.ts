/**
 * JSON representations of EDM primitive types as Microsoft Graph sends them (OData JSON Format 4.01 §7.1):
 * Int64/Decimal as JSON numbers (Graph does not send IEEE754Compatible strings unless asked), Binary as
 * base64/base64url, DateTimeOffset with a mandatory offset, Duration as an ISO 8601 day-time duration.
 */

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,12})?)?$/;
const DATE_TIME_OFFSET =
  /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,12})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const DURATION = /^-?P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const BASE64 = /^([A-Za-z0-9+/_-]{4})*([A-Za-z0-9+/_-]{2}(==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

const INT_RANGES: Record<string, [number, number]> = {
  'Edm.Byte': [0, 255],
  'Edm.SByte': [-128, 127],
  'Edm.Int16': [-32768, 32767],
  'Edm.Int32': [-2147483648, 2147483647],
  'Edm.Int64': [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const SPECIAL_FLOATS = new Set(['INF', '-INF', 'NaN']);

/** Returns a problem description, or undefined if `value` is a valid JSON representation of `edmType`. */
export function checkPrimitive(edmType: string, value: unknown): string | undefined {
  const range = INT_RANGES[edmType];
  if (range) {
    if (typeof value !== 'number' || !Number.isInteger(value))
      return `expected an integer (${edmType}), got ${describe(value)}`;
    return value < range[0] || value > range[1] ? `${value} is out of range for ${edmType}` : undefined;
  }
  switch (edmType) {
    case 'Edm.String':
      return typeof value === 'string' ? undefined : `expected a string, got ${describe(value)}`;
    case 'Edm.Boolean':
      return typeof value === 'boolean' ? undefined : `expected a boolean, got ${describe(value)}`;
    case 'Edm.Guid':
      return stringMatching(value, GUID, 'a GUID');
    case 'Edm.DateTimeOffset':
      return stringMatching(value, DATE_TIME_OFFSET, 'an ISO 8601 date-time with offset (e.g. 2026-01-01T00:00:00Z)');
    case 'Edm.Date':
      return stringMatching(value, DATE, 'a date (YYYY-MM-DD)');
    case 'Edm.TimeOfDay':
      return stringMatching(value, TIME_OF_DAY, 'a time of day (hh:mm:ss)');
    case 'Edm.Duration': {
      const problem = stringMatching(value, DURATION, 'an ISO 8601 duration (e.g. PT1H)');
      if (problem) return problem;
      return value === 'P' || value === '-P' || (value as string).endsWith('T')
        ? `'${String(value)}' is an empty duration`
        : undefined;
    }
    case 'Edm.Double':
    case 'Edm.Single':
    case 'Edm.Decimal':
      if (typeof value === 'number') return undefined;
      if (edmType !== 'Edm.Decimal' && typeof value === 'string' && SPECIAL_FLOATS.has(value)) return undefined;
      return `expected a number (${edmType}), got ${describe(value)}`;
    case 'Edm.Binary':
      return stringMatching(value, BASE64, 'base64/base64url data');
    case 'Edm.Stream':
      // Stream properties normally travel as `name@odata.mediaReadLink`; an inline value can only be a string.
      return typeof value === 'string' ? undefined : `expected stream content as a string, got ${describe(value)}`;
    case 'Edm.Untyped':
    case 'Edm.PrimitiveType':
      return undefined;
    default:
      if (edmType.startsWith('Edm.Geography') || edmType.startsWith('Edm.Geometry')) {
        return typeof value === 'object' && value !== null ? undefined : `expected GeoJSON, got ${describe(value)}`;
      }
      return `unknown primitive type ${edmType}`;
  }
}

function stringMatching(value: unknown, pattern: RegExp, what: string): string | undefined {
  if (typeof value !== 'string') return `expected ${what}, got ${describe(value)}`;
  return pattern.test(value) ? undefined : `'${truncate(value)}' is not ${what}`;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `string '${truncate(value)}'`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
