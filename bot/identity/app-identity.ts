import { readFileSync } from 'node:fs';
import { ConfidentialClientApplication } from '@azure/msal-node';
import type { AdminSession } from '../commands/types.js';
import { CodedError, ErrorCode } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import type { Logger } from '../log.js';
import type { TrustAnchors } from '../net/trust.js';
import type { ReportsSettings } from '../schedule/config.js';
import type { IdentitySettings } from './config.js';
import { msalSystemOptions } from './msal.js';
import { GRAPH_SCOPES, identityGraphClient } from './service.js';

/** Who a scheduled run acts for: recorded with every run, never used to get a token. */
export interface OnBehalfOfSchedule {
  scheduleId: string;
  /** The admin who created the schedule (with fresh MFA), its tenant. */
  createdByOid: string;
  createdByUpn: string;
  tenantId: string;
}

/**
 * The reports app: an Entra app with read-only *application* permissions, authenticated by a certificate
 * (msal-node `clientCertificate`, a signed client assertion; no secret to leak). Scheduled reports run as this app
 * because nobody is there to do MFA at 08:00 — and since an app identity has no MFA, it is given nothing that
 * changes the tenant. Same authority, metadata, trust anchors and msal options as the bot's user sign-ins.
 */
export class AppIdentity {
  private readonly client: ConfidentialClientApplication;

  constructor(
    readonly reports: ReportsSettings,
    private readonly identity: IdentitySettings,
    private readonly trust: TrustAnchors,
    private readonly log: Logger,
  ) {
    let privateKey: string;
    try {
      privateKey = readFileSync(reports.privateKeyFile, 'utf8');
    } catch {
      throw new Error("REPORTS_PRIVATE_KEY_FILE cannot be read (the reports app's certificate key, PEM)");
    }
    this.client = new ConfidentialClientApplication({
      auth: {
        clientId: reports.appId,
        authority: identity.authority,
        knownAuthorities: [identity.authorityHost],
        authorityMetadata: identity.authorityMetadata,
        clientCertificate: { thumbprintSha256: reports.thumbprintSha256, privateKey },
      },
      system: msalSystemOptions(log, trust.extraCaPem),
    });
  }

  get appId(): string {
    return this.reports.appId;
  }

  /** An app-only Graph token (client credentials); msal keeps it in memory until it nears expiry. */
  async accessToken(): Promise<string> {
    try {
      const result = await this.client.acquireTokenByClientCredential({ scopes: GRAPH_SCOPES });
      if (!result?.accessToken) throw new Error('no access token');
      return result.accessToken;
    } catch (err) {
      const code = (err as { errorCode?: string }).errorCode ?? 'token_error';
      this.log.warn({ errorCode: code, appId: this.reports.appId }, 'reports app token failed');
      throw new CodedError(
        ErrorCode.Forbidden,
        `The reports app could not get a token from Microsoft Entra ID (${code}). Check its certificate and ` +
          `admin consent.`,
      );
    }
  }

  /** The bot's admin roles (template ids): a schedule's creator must still hold one for it to run. */
  get adminRoleTemplateIds(): readonly string[] {
    return this.identity.adminRoleTemplateIds;
  }

  /** Graph as the reports app (application permissions only), with the same configured retry settings as user calls. */
  graph(): GraphApi {
    return identityGraphClient(this.identity, this.trust, this.log, () => this.accessToken());
  }

  /**
   * The session a scheduled command sees: explicitly the app (`app` is set), no roles, no MFA evidence. `oid` and
   * `upn` name the schedule's creator only so that list cursors ("More") stay bound to them.
   */
  session(onBehalfOf: OnBehalfOfSchedule): AdminSession {
    return {
      oid: onBehalfOf.createdByOid,
      upn: onBehalfOf.createdByUpn,
      tenantId: onBehalfOf.tenantId,
      roleTemplateIds: [],
      mfa: { amr: [], acrs: [] },
      app: { appId: this.reports.appId, scheduleId: onBehalfOf.scheduleId },
      accessToken: () => this.accessToken(),
    };
  }
}
