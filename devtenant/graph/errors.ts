// Graph's error envelope and the error codes the stand-in answers with (catalog §2). Clients branch on `code`.

export type GraphErrorCode =
  | 'Request_ResourceNotFound'
  | 'Authorization_RequestDenied'
  | 'InvalidAuthenticationToken'
  | 'Request_BadRequest'
  | 'Request_UnsupportedQuery'
  | 'BadRequest'
  | 'TooManyRequests'
  | 'NotFound'
  | 'Forbidden'
  | 'UnknownError'
  | 'RoleAssignmentRequestPolicyValidationFailed'
  | 'RoleAssignmentRequestAcrsValidationFailed'
  | 'RoleAssignmentExists'
  | 'RoleEligibilityScheduleRequestNotFound'
  | 'MethodNotAllowed'
  | 'RequestBodyTooLarge'
  | 'Conflict'
  | 'AccessDenied';

/** A failure with Graph's status, code and message; anything thrown by a route that is not one of these becomes 500. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: GraphErrorCode | string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Extra innerError fields (e.g. 429's code/status/message). */
    readonly innerError: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export const notFound = (id: string): GraphError =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
export const forbidden = (): GraphError =>
  new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
export const badRequest = (message: string, code: GraphErrorCode = 'Request_BadRequest'): GraphError =>
  new GraphError(400, code, message);
export const unsupportedQuery = (message: string): GraphError =>
  new GraphError(400, 'Request_UnsupportedQuery', message);
export const segmentNotFound = (segment: string): GraphError =>
  new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
export const invalidJson = (): GraphError =>
  new GraphError(
    400,
    'BadRequest',
    'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON ' +
      'format.',
  );
export const invalidGuid = (value: string): GraphError =>
  new GraphError(400, 'Request_BadRequest', `Invalid object identifier '${value}'.`);

/** Graph's innerError date: UTC, no fractional seconds, no 'Z'. */
export function graphErrorDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19);
}

export function errorEnvelope(err: GraphError, requestId: string, clientRequestId: string, now?: Date): object {
  return {
    error: {
      code: err.code,
      message: err.message,
      innerError: {
        ...err.innerError,
        date: graphErrorDate(now),
        'request-id': requestId,
        'client-request-id': clientRequestId,
      },
    },
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (value: string): boolean => GUID.test(value);
