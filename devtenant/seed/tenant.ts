import type {
  AsyncOperation,
  AuthContextClassReference,
  AuthMethod,
  DirectoryAudit,
  DirectoryRole,
  NumberAssignment,
  RoleActivation,
  RoleActivationPolicy,
  RoleApproval,
  RoleAssignment,
  RoleAssignmentScheduleRequest,
  RoleDefinition,
  RoleEligibility,
  SeedApplication,
  SeedGroup,
  SeedTeam,
  SeedUser,
  ServiceHealth,
  SignIn,
  SubscribedSku,
  TeamsPolicy,
  TeamsPolicyAssignment,
  TenantSize,
} from './types.js';
import { Random, isoSeconds } from './random.js';

export interface SignInInput {
  userId: string;
  appId: string;
  status: 'success' | 'failure';
  failureReason?: string;
  mfa: boolean;
  ipAddress?: string;
  /** Entra error code for failures (default 50126 invalid credentials; e.g. 500121 MFA failed, 50057 disabled). */
  errorCode?: number;
}

export interface AuditInput {
  activityDisplayName: string;
  category: string;
  operationType?: string;
  result?: DirectoryAudit['result'];
  resultReason?: string;
  loggedByService?: string;
  initiatedBy: DirectoryAudit['initiatedBy'];
  targetResources: DirectoryAudit['targetResources'];
  additionalDetails?: DirectoryAudit['additionalDetails'];
}

/**
 * The one in-memory tenant shared by the Graph stand-in and the identity provider. Collections are plain arrays in
 * listing order (soft-deleted users stay in place so paging positions remain stable); lookups go through indexes.
 */
export class TenantStore {
  readonly users: SeedUser[] = [];
  readonly deletedUsers = new Map<string, SeedUser & { deletedDateTime: string }>();
  readonly groups: SeedGroup[] = [];
  readonly teams: SeedTeam[] = [];
  readonly roleDefinitions: RoleDefinition[] = [];
  readonly directoryRoles: DirectoryRole[] = [];
  readonly roleAssignments: RoleAssignment[] = [];
  readonly roleEligibilities: RoleEligibility[] = [];
  readonly roleActivations: RoleActivation[] = [];
  readonly roleAssignmentRequests: RoleAssignmentScheduleRequest[] = [];
  readonly rolePolicies = new Map<string, RoleActivationPolicy>();
  readonly roleApprovals = new Map<string, RoleApproval>();
  readonly subscribedSkus: SubscribedSku[] = [];
  readonly teamsPolicies: TeamsPolicy[] = [];
  readonly teamsPolicyAssignments: TeamsPolicyAssignment[] = [];
  readonly numberAssignments: NumberAssignment[] = [];
  readonly healthOverviews: ServiceHealth[] = [];
  /** Chronological (oldest first); Graph lists them newest first. */
  readonly directoryAudits: DirectoryAudit[] = [];
  /** Chronological (oldest first); Graph lists them newest first. */
  readonly signIns: SignIn[] = [];
  readonly authenticationContexts: AuthContextClassReference[] = [];
  /** teamsAsyncOperation and telephone-number orders, by id (written by the Teams/admin routes). */
  readonly asyncOperations = new Map<string, AsyncOperation>();

  private readonly userIndex = new Map<string, SeedUser>();
  private readonly upnIndex = new Map<string, SeedUser>();
  private readonly groupIndex = new Map<string, SeedGroup>();
  private readonly teamIndex = new Map<string, SeedTeam>();
  /** Ids generated after seeding (writes) come from here so a run stays reproducible. */
  readonly ids: Random;

  constructor(
    readonly id: string,
    readonly domain: string,
    readonly displayName: string,
    readonly size: TenantSize,
    readonly applications: SeedApplication[],
    private readonly clock: () => Date,
    idSeed: number,
  ) {
    this.ids = new Random(idSeed ^ 0x5eed);
  }

  now(): Date {
    return this.clock();
  }
  /** Graph's DateTimeOffset form: UTC, whole seconds. */
  nowIso(): string {
    return isoSeconds(this.clock());
  }
  newId(): string {
    return this.ids.guid();
  }

  // ---- user change tracking (GET /users/delta) ----
  private changeSeq = 0;
  /** User id → sequence number of its latest change after seeding (insertion order = order of latest change). */
  private readonly userChanges = new Map<string, number>();
  /** The sequence number a delta token records: changes after it are "since the token". */
  get userChangeSeq(): number {
    return this.changeSeq;
  }
  /** Records that a user was created, changed or deleted (writes call this; seeding does not). */
  touchUser(id: string): void {
    this.userChanges.delete(id);
    this.userChanges.set(id, ++this.changeSeq);
  }
  /** Ids of users whose latest change is after `since` and not after `until`, oldest change first. */
  usersChangedBetween(since: number, until: number): string[] {
    const out: string[] = [];
    for (const [id, at] of this.userChanges) if (at > since && at <= until) out.push(id);
    return out;
  }

  // ---- users ----
  addUser(user: SeedUser): void {
    this.users.push(user);
    this.userIndex.set(user.id, user);
    this.upnIndex.set(user.userPrincipalName.toLowerCase(), user);
  }
  userById(id: string): SeedUser | undefined {
    return this.userIndex.get(id.toLowerCase()) ?? this.userIndex.get(id);
  }
  userByUpn(upn: string): SeedUser | undefined {
    return this.upnIndex.get(upn.toLowerCase());
  }
  /** By object id or UPN, as Graph resolves `/users/{id | userPrincipalName}`. */
  userByKey(key: string): SeedUser | undefined {
    return this.userById(key) ?? this.userByUpn(key);
  }
  *liveUsers(): Iterable<SeedUser> {
    for (const u of this.users) if (!this.deletedUsers.has(u.id)) yield u;
  }
  renameUser(user: SeedUser, newUpn: string): void {
    this.upnIndex.delete(user.userPrincipalName.toLowerCase());
    user.userPrincipalName = newUpn;
    this.upnIndex.set(newUpn.toLowerCase(), user);
  }
  /** Soft delete (recycle bin): gone from lookups, sign-in and role membership. */
  deleteUser(user: SeedUser): void {
    this.deletedUsers.set(user.id, Object.assign(user, { deletedDateTime: this.nowIso() }));
    this.userIndex.delete(user.id);
    this.upnIndex.delete(user.userPrincipalName.toLowerCase());
    for (const g of this.groups) {
      g.memberIds.delete(user.id);
      g.ownerIds.delete(user.id);
    }
  }

  // ---- roles ----
  /** Directory roles in force now: permanent assignments plus unexpired PIM activations (= the `wids` claim). */
  activeRoleTemplateIds(userId: string): string[] {
    const now = this.clock().getTime();
    const ids = new Set<string>();
    for (const a of this.roleAssignments) if (a.principalId === userId) ids.add(a.roleDefinitionId);
    for (const a of this.roleActivations) {
      if (a.principalId === userId && Date.parse(a.startDateTime) <= now && Date.parse(a.endDateTime) > now)
        ids.add(a.roleDefinitionId);
    }
    return [...ids];
  }
  activeActivations(): RoleActivation[] {
    const now = this.clock().getTime();
    return this.roleActivations.filter((a) => Date.parse(a.startDateTime) <= now && Date.parse(a.endDateTime) > now);
  }
  roleDefinitionById(id: string): RoleDefinition | undefined {
    return this.roleDefinitions.find((r) => r.id === id);
  }

  // ---- authentication methods ----
  registerAuthenticator(userId: string, totpSecret: string): void {
    const user = this.userById(userId);
    if (!user) throw new Error(`registerAuthenticator: unknown user ${userId}`);
    user.credentials.totpSecret = totpSecret;
    user.authMethods = user.authMethods.filter((m) => m.kind !== 'microsoftAuthenticator');
    const method: AuthMethod = {
      id: this.newId(),
      kind: 'microsoftAuthenticator',
      createdDateTime: this.nowIso(),
      props: { displayName: 'Authenticator app', deviceTag: 'SoftwareTokenActivated', phoneAppVersion: '6.2401.0119' },
    };
    user.authMethods.push(method);
    user.defaultMfaMethodId ??= method.id;
    this.appendAudit({
      activityDisplayName: 'User registered security info',
      category: 'UserManagement',
      operationType: 'Add',
      loggedByService: 'Authentication Methods',
      resultReason: 'User registered Authenticator App with Notification and Code',
      initiatedBy: {
        user: {
          id: user.id,
          displayName: user.displayName,
          userPrincipalName: user.userPrincipalName,
          ipAddress: '127.0.0.1',
        },
        app: null,
      },
      targetResources: [
        {
          id: user.id,
          displayName: user.displayName,
          type: 'User',
          userPrincipalName: user.userPrincipalName,
          modifiedProperties: [],
        },
      ],
    });
  }
  /** Removes a method; removing the authenticator also forgets the TOTP secret so sign-in sees it gone. */
  removeAuthMethod(user: SeedUser, methodId: string): void {
    const method = user.authMethods.find((m) => m.id === methodId);
    user.authMethods = user.authMethods.filter((m) => m.id !== methodId);
    if (method?.kind === 'microsoftAuthenticator') delete user.credentials.totpSecret;
    if (user.defaultMfaMethodId === methodId) user.defaultMfaMethodId = null;
  }
  isMfaRegistered(user: SeedUser): boolean {
    return user.authMethods.some(
      (m) => m.kind !== 'password' && m.kind !== 'email' && m.kind !== 'temporaryAccessPass',
    );
  }

  // ---- groups / teams ----
  addGroup(group: SeedGroup): void {
    this.groups.push(group);
    this.groupIndex.set(group.id, group);
  }
  groupById(id: string): SeedGroup | undefined {
    return this.groupIndex.get(id.toLowerCase());
  }
  addTeam(team: SeedTeam): void {
    this.teams.push(team);
    this.teamIndex.set(team.id, team);
  }
  teamById(id: string): SeedTeam | undefined {
    return this.teamIndex.get(id.toLowerCase());
  }

  // ---- logs ----
  appendSignIn(entry: SignInInput): SignIn {
    const user = this.userById(entry.userId);
    const app = this.applications.find((a) => a.appId === entry.appId);
    const now = this.nowIso();
    const id = this.newId();
    const signIn: SignIn = {
      id,
      createdDateTime: now,
      userDisplayName: user?.displayName ?? '',
      userPrincipalName: user?.userPrincipalName ?? '',
      userId: entry.userId,
      appId: entry.appId,
      appDisplayName: app?.displayName ?? '',
      ipAddress: entry.ipAddress ?? '127.0.0.1',
      clientAppUsed: 'Browser',
      correlationId: this.newId(),
      conditionalAccessStatus: 'notApplied',
      isInteractive: true,
      resourceDisplayName: 'Microsoft Graph',
      resourceId: '00000003-0000-0000-c000-000000000000',
      status:
        entry.status === 'success'
          ? { errorCode: 0, failureReason: null, additionalDetails: null }
          : {
              errorCode: entry.errorCode ?? 50126,
              failureReason: entry.failureReason ?? 'Invalid username or password.',
              additionalDetails: null,
            },
      location: { city: 'Redmond', state: 'Washington', countryOrRegion: 'US' },
      authenticationRequirement: entry.mfa ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    };
    this.signIns.push(signIn);
    if (user) {
      user.signInActivity.lastSignInDateTime = now;
      user.signInActivity.lastSignInRequestId = id;
      if (entry.status === 'success') {
        user.signInActivity.lastSuccessfulSignInDateTime = now;
        user.signInActivity.lastSuccessfulSignInRequestId = id;
      }
    }
    return signIn;
  }

  appendAudit(input: AuditInput): DirectoryAudit {
    const audit: DirectoryAudit = {
      id: `Directory_${this.newId()}`,
      category: input.category,
      correlationId: this.newId(),
      result: input.result ?? 'success',
      resultReason: input.resultReason ?? '',
      activityDisplayName: input.activityDisplayName,
      activityDateTime: this.nowIso(),
      loggedByService: input.loggedByService ?? 'Core Directory',
      operationType: input.operationType ?? 'Update',
      initiatedBy: input.initiatedBy,
      targetResources: input.targetResources,
      additionalDetails: input.additionalDetails ?? [],
    };
    this.directoryAudits.push(audit);
    return audit;
  }
}

/** The contract name: what both stand-ins code against. */
export type Tenant = TenantStore;
