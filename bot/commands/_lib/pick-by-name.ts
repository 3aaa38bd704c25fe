import { AmbiguousTargetError, NotFoundError } from '../../errors.js';

/** How many candidates a choice card offers; more means the admin should type a longer name. */
const MAX_CHOICES = 5;

/**
 * Picks the one object an admin meant from a small, already-fetched set (role definitions, own PIM eligibilities,
 * services): an exact name (case-insensitive) wins, else the only name containing the text; several → a choice card
 * (never a guess); none → a not-found error that lists what exists. `choice` is the text the card puts back into
 * the command (usually the full name).
 */
export function pickByName<T>(
  items: readonly T[],
  typed: string,
  view: { name: (item: T) => string; choice?: (item: T) => string; noun: string },
): T {
  const wanted = typed.trim().toLowerCase();
  const exact = items.filter((item) => view.name(item).toLowerCase() === wanted);
  if (exact.length === 1) return exact[0];
  const containing = exact.length > 1 ? exact : items.filter((item) => view.name(item).toLowerCase().includes(wanted));
  if (containing.length === 1) return containing[0];
  if (containing.length === 0) {
    const known = items.slice(0, 8).map(view.name);
    const listed = known.length ? ` Known: ${known.join(', ')}${items.length > known.length ? ', …' : ''}.` : '';
    throw new NotFoundError(`No ${view.noun} is named like "${typed}".${listed}`);
  }
  throw new AmbiguousTargetError(
    typed,
    containing
      .slice(0, MAX_CHOICES)
      .map((item) => ({ label: view.name(item), value: (view.choice ?? view.name)(item) })),
  );
}
