/**
 * The areas of commands: one per folder of `bot/commands/` (the folder name is the area's key, set on each
 * command by the registry), in the order help lists them, with the label a person reads (short: help shows it on a
 * button).
 */
export const AREAS: Readonly<Record<string, { label: string }>> = {
  core: { label: 'General' },
  users: { label: 'Users' },
  mfa: { label: 'MFA' },
  roles: { label: 'Roles and PIM' },
  licenses: { label: 'Licences' },
  groups: { label: 'Groups' },
  teams: { label: 'Teams' },
  voice: { label: 'Phone and policies' },
  tenant: { label: 'Tenant health' },
  approvals: { label: 'Approvals' },
  audit: { label: 'Audit log' },
  schedule: { label: 'Scheduled reports' },
  reports: { label: 'Tenant reports' },
  bulk: { label: 'Bulk changes' },
};

/** How help names an area (the folder name for an area not listed above yet). */
export function areaLabel(area: string): string {
  return AREAS[area]?.label ?? area;
}

/** Help's order: the listed areas first, in their order, then any other by name. */
export function compareAreas(a: string, b: string): number {
  const keys = Object.keys(AREAS);
  const rank = (area: string) => (keys.includes(area) ? keys.indexOf(area) : keys.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}
