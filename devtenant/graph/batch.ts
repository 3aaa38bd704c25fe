// JSON $batch: ≤ 20 requests, unique ids, dependsOn (a dependant of a failed step gets 424), independent steps run
// concurrently and, as Graph warns, responses are not in request order.
import { randomUUID } from 'node:crypto';
import { GraphError, errorEnvelope } from './errors.js';
import type { Caller, GraphVersion } from './route.js';
import type { GraphService, ServiceRequest, ServiceResponse } from './service.js';

export const MAX_BATCH_REQUESTS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

const bad = (message: string) => new GraphError(400, 'BadRequest', message);

function parseItems(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw bad('Invalid batch payload format.');
  if (requests.length === 0) throw bad('Invalid batch payload format: the requests collection is empty.');
  if (requests.length > MAX_BATCH_REQUESTS)
    throw bad(`The number of requests in the batch exceeds the maximum of ${MAX_BATCH_REQUESTS}.`);
  const items: BatchItem[] = [];
  const ids = new Set<string>();
  for (const r of requests as Record<string, unknown>[]) {
    if (!r || typeof r !== 'object') throw bad('Invalid batch payload format.');
    // Real clients send numeric ids; accept them as their string form.
    const id = typeof r.id === 'number' || typeof r.id === 'string' ? String(r.id) : '';
    if (!id) throw bad("Each batch request must have an 'id'.");
    if (ids.has(id)) throw bad(`Batch request ids must be unique; '${id}' is used more than once.`);
    ids.add(id);
    if (typeof r.method !== 'string' || typeof r.url !== 'string')
      throw bad(`Batch request '${id}' must have 'method' and 'url'.`);
    const headers: Record<string, string> = {};
    if (r.headers && typeof r.headers === 'object')
      for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    if (r.body !== undefined && !headers['content-type'])
      throw bad(`Content-Type header must be specified for batch request '${id}' because it has a body.`);
    const dependsOn = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
    for (const d of dependsOn)
      if (!ids.has(d) || d === id)
        throw bad(`Batch request '${id}' depends on '${d}', which is not an earlier request of the batch.`);
    items.push({ id, method: r.method, url: r.url, headers, body: r.body, dependsOn });
  }
  return items;
}

function itemUrl(url: string, version: GraphVersion): string | null {
  if (/^[a-z]+:\/\//i.test(url)) return null;
  const rel = url.replace(/^\/+/, '');
  return `/${version}/${rel}`;
}

export async function handleBatch(
  service: GraphService,
  req: ServiceRequest,
  version: GraphVersion,
  _caller: Caller,
): Promise<ServiceResponse> {
  let payload: unknown = req.jsonBody;
  if (payload === undefined) {
    try {
      payload = JSON.parse(req.rawBody ?? '');
    } catch {
      throw bad(
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid ' +
          'JSON format.',
      );
    }
  }
  const items = parseItems(payload);
  const results = new Map<string, Promise<ServiceResponse>>();
  const finished: { id: string; res: ServiceResponse }[] = [];
  const run = async (item: BatchItem): Promise<ServiceResponse> => {
    const deps = await Promise.all(item.dependsOn.map((d) => results.get(d)!));
    let res: ServiceResponse;
    if (deps.some((d) => d.status >= 400)) {
      const e = new GraphError(
        424,
        'FailedDependency',
        'The request could not be executed because a request it depends on failed.',
      );
      const id = randomUUID();
      res = {
        status: 424,
        headers: { 'Content-Type': 'application/json', 'request-id': id },
        body: errorEnvelope(e, id, id),
      };
    } else {
      const url = itemUrl(item.url, version);
      if (!url) {
        const e = new GraphError(400, 'BadRequest', 'Batch request urls must be relative, e.g. "/users".');
        const id = randomUUID();
        res = {
          status: 400,
          headers: { 'Content-Type': 'application/json', 'request-id': id },
          body: errorEnvelope(e, id, id),
        };
      } else {
        res = await service.handle({
          method: item.method,
          url,
          viaBatch: true,
          jsonBody: item.body,
          headers: { ...item.headers, authorization: req.headers.authorization },
        });
      }
    }
    finished.push({ id: item.id, res });
    return res;
  };
  // Independent steps start newest-first so clients that assume request order are caught, as on real Graph.
  for (const item of [...items].reverse()) if (item.dependsOn.length === 0) results.set(item.id, run(item));
  for (const item of items) if (item.dependsOn.length > 0) results.set(item.id, run(item));
  await Promise.all(results.values());
  const responses = finished.map(({ id, res }) => ({
    id,
    status: res.status,
    headers: res.headers,
    ...(res.body === undefined ? {} : { body: res.body }),
  }));
  return { status: 200, headers: {}, body: { responses } };
}
