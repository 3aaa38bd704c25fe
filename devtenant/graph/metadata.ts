// GET /v1.0/$metadata: Microsoft's published v1.0 CSDL, served as Graph serves it (application/xml, no token needed).
// Read once, on first request, from the same file the conformance tooling uses.
import { readFileSync } from 'node:fs';
import { GRAPH_V1_CSDL_PATH } from './csdl/load.js';
import { GraphError } from './errors.js';
import type { RouteResult } from './route.js';

let cached: string | null = null;

export function metadataDocument(): RouteResult {
  if (cached === null) {
    try {
      cached = readFileSync(GRAPH_V1_CSDL_PATH, 'utf8');
    } catch {
      throw new GraphError(
        404,
        'NotFound',
        'The v1.0 metadata document is not available to this stand-in (set GRAPH_CSDL_PATH to a copy of it).',
      );
    }
  }
  return { status: 200, body: cached, headers: { 'Content-Type': 'application/xml;charset=utf-8' } };
}
