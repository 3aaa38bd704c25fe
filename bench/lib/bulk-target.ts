// The bulk benches' target: whole departments of the devtenant, largest first, until at least `wanted` users, as
// one `--filter` (department names come from the seed; quotes are doubled as OData literals require).
import type { SeedUser } from '../../devtenant/seed/types.js';

export function departmentFilter(
  users: Iterable<SeedUser>,
  wanted: number,
): { filter: string; users: number; departments: string[] } {
  const byDepartment = new Map<string, number>();
  for (const u of users) if (u.department) byDepartment.set(u.department, (byDepartment.get(u.department) ?? 0) + 1);
  const chosen: string[] = [];
  let count = 0;
  for (const [department, n] of [...byDepartment].sort((a, b) => b[1] - a[1])) {
    if (count >= wanted) break;
    chosen.push(department);
    count += n;
  }
  return {
    filter: chosen.map((d) => `department eq '${d.replace(/'/g, "''")}'`).join(' or '),
    users: count,
    departments: chosen,
  };
}
