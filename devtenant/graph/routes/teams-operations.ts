// Long-running operations (team archive/unarchive, phone-number orders). Graph answers 202 + Location at once and
// the work completes later: status moves notStarted → inProgress (running) → succeeded, and only then does the
// change become visible. Progress follows the tenant clock (so tests with a fake clock can fast-forward), and a
// real timer completes the work even if nobody polls, as the cloud would.
import type { AsyncOperation, TenantStore } from '../../seed/index.js';

/** Milliseconds after creation at which an operation starts and completes. Short, so tests and demos feel real. */
export const OPERATION_TIMING = { startAfterMs: 50, completeAfterMs: 300 };

const STARTED_AT = 'startedAtMs';

export type OperationPhase = 'notStarted' | 'inProgress' | 'succeeded' | 'failed';

/** What finishing an operation of a given kind does to the tenant. Registered by the route files that own the kind. */
type Completion = (tenant: TenantStore, op: AsyncOperation) => void;
const completions = new Map<string, Completion>();

export function registerCompletion(kind: string, complete: Completion): void {
  completions.set(kind, complete);
}

export function startOperation(
  tenant: TenantStore,
  init: {
    kind: string;
    targetResourceId: string;
    targetResourceLocation: string | null;
    details: Record<string, unknown>;
  },
): AsyncOperation {
  if (!completions.has(init.kind)) throw new Error(`No completion registered for operation kind '${init.kind}'`);
  const now = tenant.nowIso();
  // Graph's timestamps have whole seconds; progress needs the precise start, kept beside the details.
  const op: AsyncOperation = {
    id: tenant.newId(),
    status: 'notStarted',
    createdDateTime: now,
    lastActionDateTime: now,
    attemptsCount: 1,
    error: null,
    ...init,
    details: { ...init.details, [STARTED_AT]: tenant.now().getTime() },
  };
  tenant.asyncOperations.set(op.id, op);
  const timer = setTimeout(() => finish(tenant, op), OPERATION_TIMING.completeAfterMs);
  timer.unref();
  return op;
}

/** Brings the operation's status up to date with the tenant clock; returns it for serialisation. */
export function settle(tenant: TenantStore, op: AsyncOperation): AsyncOperation {
  if (op.status === 'succeeded' || op.status === 'failed') return op;
  const startedAt = op.details[STARTED_AT];
  const elapsed = tenant.now().getTime() - (typeof startedAt === 'number' ? startedAt : Date.parse(op.createdDateTime));
  if (elapsed >= OPERATION_TIMING.completeAfterMs) finish(tenant, op);
  else if (elapsed >= OPERATION_TIMING.startAfterMs && op.status === 'notStarted') {
    op.status = 'inProgress';
    op.lastActionDateTime = tenant.nowIso();
  }
  return op;
}

/** Settles every pending operation on a target (e.g. before reading a team whose archive may have completed). */
export function settleTarget(tenant: TenantStore, targetResourceId: string): void {
  for (const op of tenant.asyncOperations.values()) if (op.targetResourceId === targetResourceId) settle(tenant, op);
}

function finish(tenant: TenantStore, op: AsyncOperation): void {
  if (op.status === 'succeeded' || op.status === 'failed') return;
  completions.get(op.kind)!(tenant, op);
  op.status = 'succeeded';
  op.lastActionDateTime = tenant.nowIso();
}

/** True while an operation of one of `kinds` on the target has not finished (Graph refuses overlapping orders). */
export function hasPendingOperation(tenant: TenantStore, targetResourceId: string, kinds: readonly string[]): boolean {
  for (const op of tenant.asyncOperations.values()) {
    if (op.targetResourceId === targetResourceId && kinds.includes(op.kind)) {
      settle(tenant, op);
      if (op.status === 'notStarted' || op.status === 'inProgress') return true;
    }
  }
  return false;
}
