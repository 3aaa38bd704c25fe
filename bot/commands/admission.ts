/** A reply card (the shape of `CommandOutput`; not imported, so types.ts can name `Admission` without a cycle). */
export interface AdmissionReply {
  card: string;
  data: Record<string, unknown>;
  text: string;
}

/**
 * A read command whose admin-role re-check is still in flight (issue 14: the check runs alongside the command's
 * first Graph request instead of before it). Nothing of the command reaches the admin before `ready()` resolves: the
 * admin's Graph client holds every answer until then, and the engine awaits it before sending any output or error.
 */
export interface Admission {
  /** Resolves once the roles allow this command and every step added with `before` is done; rejects otherwise. */
  ready(): Promise<void>;
  /** Adds work that must be done, once the roles allow the command, before anything reaches it (the audit start). */
  before(step: () => Promise<void>): void;
}

/**
 * The role re-check said no (refuse) or could not be answered with this sign-in (hold): what the gate would have
 * answered had it waited. The command's Graph answers are discarded and the admin sees exactly this reply.
 */
export class AdmissionDenied extends Error {
  constructor(readonly decision: { kind: 'hold' | 'refuse'; reason: string; reply: AdmissionReply }) {
    super(`command ${decision.kind === 'hold' ? 'held' : 'refused'}: ${decision.reason}`);
    this.name = 'AdmissionDenied';
  }
}

/** An admission over `verdict` (the role re-check): resolves or rejects with it, then runs the added steps. */
export function admissionAfter(verdict: Promise<void>): Admission {
  // Observed at once: a refusal nobody awaited yet (the command is still sending) is not an unhandled rejection.
  let chain = verdict;
  chain.catch(() => undefined);
  return {
    ready: () => chain,
    before(step) {
      chain = chain.then(step);
      chain.catch(() => undefined);
    },
  };
}

/**
 * Runs `work` (the command) while its admission is pending, then waits for the admission: when it is denied (or
 * failed), the command's result and error are discarded and the denial (or failure) is thrown instead.
 */
export async function admitted<T>(admission: Admission | undefined, work: () => Promise<T>): Promise<T> {
  if (!admission) return work();
  const outcome = await work().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await admission.ready();
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
