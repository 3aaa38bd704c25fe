/** One request the stand-in answered (tests count round trips with entries where viaBatch is false). */
export interface RequestLogEntry {
  time: string;
  method: string;
  /** Path and query as received, e.g. /v1.0/users?$top=5 */
  url: string;
  status: number;
  requestId: string;
  appId: string | null;
  userId: string | null;
  upn: string | null;
  /** True for a request executed inside a $batch (the $batch POST itself is logged separately). */
  viaBatch: boolean;
  /**
   * Set when an injected fault shaped the answer (see faults.ts). For `status`, `html` and `reset` the handler did
   * not run (nothing applied); for `delay`, `malformed` and `resetAfterApply` it did (the entry's status is the
   * handler's, though the client may never have seen it).
   */
  fault?: string;
}
