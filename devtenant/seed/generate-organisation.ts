// What a real organisation's directory holds beyond names and roles: worker types, employee ids, company, city and
// country from the usage location, hire dates; guests invited from Fabrikam. On the `large` tenant also directory-
// sized groups (one security group per department and an "All Employees" dynamic group, thousands of members each)
// and a Teams policy assigned through one of them. Uses its own generator so the main seed sequence (ids, names,
// passwords the tests rely on) is unchanged.
import { Random, isoSeconds } from './random.js';
import type { TenantStore } from './tenant.js';
import type { SeedGroup, SeedUser } from './types.js';

const WORKER_TYPES = [
  ['Employee', 0.8],
  ['Contractor', 0.12],
  ['Consultant', 0.05],
  ['Vendor', 0.03],
] as const;

/** usageLocation → [city, country] (Graph's `country` is free text; Entra shows the English name). */
const PLACES: Record<string, readonly [string, string]> = {
  US: ['Redmond', 'United States'],
  GB: ['London', 'United Kingdom'],
  DE: ['Munich', 'Germany'],
  FR: ['Paris', 'France'],
  NO: ['Oslo', 'Norway'],
  SE: ['Stockholm', 'Sweden'],
  JP: ['Tokyo', 'Japan'],
  IN: ['Bengaluru', 'India'],
  CA: ['Toronto', 'Canada'],
  AU: ['Sydney', 'Australia'],
  NL: ['Amsterdam', 'Netherlands'],
  ES: ['Madrid', 'Spain'],
};

function workerType(rng: Random): string {
  let r = rng.next();
  for (const [type, share] of WORKER_TYPES) {
    if (r < share) return type;
    r -= share;
  }
  return 'Employee';
}

function profile(user: SeedUser, index: number, rng: Random, now: Date): Record<string, unknown> {
  const nickname = user.userPrincipalName.split('@')[0]!.replace(/#EXT#$/, '');
  if (user.userType === 'Guest')
    return {
      companyName: 'Fabrikam',
      creationType: 'Invitation',
      externalUserState: 'Accepted',
      mailNickname: nickname,
      showInAddressList: false,
    };
  const place = user.usageLocation ? PLACES[user.usageLocation] : undefined;
  const hired = isoSeconds(now.getTime() - rng.int(30, 3_650) * 86_400_000);
  return {
    employeeType: workerType(rng),
    employeeId: String(100_000 + index),
    employeeHireDate: hired,
    companyName: 'Contoso',
    mailNickname: nickname,
    ...(place ? { city: place[0], country: place[1] } : {}),
  };
}

export function addOrganisation(store: TenantStore, seed: number, now: Date): void {
  const rng = new Random(seed * 31_337 + 17);
  store.users.forEach((user, i) => {
    user.extra = { ...profile(user, i, rng, now), ...user.extra };
  });
  if (store.size !== 'large') return;

  const created = isoSeconds(now.getTime() - 400 * 86_400_000);
  const owner = store.users[0]!.id;
  const group = (displayName: string, memberIds: Set<string>, extra: Record<string, unknown> = {}): SeedGroup => {
    const nick = displayName.replace(/[^A-Za-z0-9]/g, '');
    const g: SeedGroup = {
      id: rng.guid(),
      displayName,
      description: `${displayName} (all members)`,
      mailNickname: nick,
      mail: null,
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: extra.membershipRule ? ['DynamicMembership'] : [],
      visibility: null,
      resourceProvisioningOptions: [],
      createdDateTime: created,
      memberIds,
      ownerIds: new Set([owner]),
      extra,
    };
    store.addGroup(g);
    return g;
  };
  const byDepartment = new Map<string, Set<string>>();
  const employees = new Set<string>();
  for (const u of store.users) {
    if (u.userType !== 'Member') continue;
    if (u.department) {
      const set = byDepartment.get(u.department) ?? new Set<string>();
      set.add(u.id);
      byDepartment.set(u.department, set);
    }
    if (u.extra?.employeeType === 'Employee') employees.add(u.id);
  }
  const departmentGroups = [...byDepartment].map(([dept, ids]) => group(`Department - ${dept}`, ids));
  group('All Employees', employees, {
    membershipRule: '(user.employeeType -eq "Employee")',
    membershipRuleProcessingState: 'On',
  });
  // Teams policy through a directory-sized group: direct assignments still win for its members who have one.
  const policy = store.teamsPolicies.find((p) => p.policyType === 'TeamsCallingPolicy' && p.name === 'AllowCalling');
  const target = [...departmentGroups].sort((a, b) => b.memberIds.size - a.memberIds.size)[0];
  if (policy && target) {
    for (const userId of target.memberIds) {
      store.teamsPolicyAssignments.push({
        userId,
        policyType: policy.policyType,
        policyId: policy.policyId,
        assignmentType: 'group',
        groupId: target.id,
      });
    }
  }
}
