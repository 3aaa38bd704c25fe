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
}
