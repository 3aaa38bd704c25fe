import type { BatchStepResult } from '../../graph/client.js';
import { GraphRequestError } from '../../graph/errors.js';

/** A header of one step's response, whatever its case (Graph does not promise the case of headers inside a batch). */
function header(result: BatchStepResult, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(result.headers ?? {}).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/**
 * The body of one `$batch` step, or the step's own Graph error (code, message, request-id) thrown exactly as a
 * direct request would fail, so the error card looks the same whether a read went alone or in a batch.
 */
export function stepBody<T>(results: Map<string, BatchStepResult>, id: string): T {
  const result = results.get(id);
  if (!result)
    throw new GraphRequestError(
      502,
      'MissingBatchResponse',
      `Graph's $batch answer has no response for step ${id}.`,
      undefined,
    );
  if (result.status >= 200 && result.status < 300) return result.body as T;
  const error = (result.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const retryAfter = Number(header(result, 'retry-after'));
  throw new GraphRequestError(
    result.status,
    error?.code ?? `HTTP${result.status}`,
    error?.message ?? 'The batched request failed.',
    header(result, 'request-id'),
    header(result, 'retry-after') !== undefined && Number.isFinite(retryAfter) ? retryAfter : undefined,
  );
}
