import { randomBytes } from 'node:crypto';
import { ActivityTypes, type CloudAdapterBase, type FileConsentCardResponse, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { fetch as undiciFetch } from 'undici';
import type { Kysely } from 'kysely';
import type { ConversationAddress, FileDelivery, OutgoingFile } from '../commands/ports.js';
import { outputActivity } from './send.js';
import type { Logger } from '../log.js';
import type { TrustAnchors } from '../net/trust.js';
import type { Database } from '../store/schema.js';
import { referenceOfAddress } from './messenger.js';

export const FILE_CONSENT_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.info';

export interface FileDeliverySettings {
  /** How long an offer can be accepted (the bytes are kept in the store until then). */
  ttlMs: number;
  /** Largest file offered: it is held in the store and uploaded in one PUT. */
  maxBytes: number;
  /** Bound on the upload to the user's OneDrive (connect + body + answer). */
  uploadTimeoutMs: number;
}

export const DEFAULT_FILE_DELIVERY: FileDeliverySettings = {
  ttlMs: 15 * 60_000,
  maxBytes: 20 * 1024 * 1024,
  uploadTimeoutMs: 30_000,
};

export interface FileDeliveryDeps {
  adapter: CloudAdapterBase;
  botAppId: string;
  db: Kysely<Database>;
  /** Trust for the upload (system roots + the devtenant CA locally), never TLS verification off. */
  trust: TrustAnchors;
  log: Logger;
  settings?: Partial<FileDeliverySettings>;
  clock?: () => number;
}

/** What travels in the consent card's accept/decline context: the offer's id only, never a path or the bytes. */
interface OfferContext {
  offerId?: unknown;
}

/**
 * Files to an admin through Teams' file consent flow (personal scope only): the bot offers the file with a
 * FileConsentCard, Teams creates an upload session in the user's OneDrive when they accept and sends its URL in a
 * `fileConsent/invoke`; the bot PUTs the bytes there and answers with a FileInfoCard linking the file. Until then
 * the bytes wait in the shared store (so any instance can answer the invoke), for `ttlMs` at most.
 */
export class TeamsFileDelivery implements FileDelivery {
  private readonly settings: FileDeliverySettings;
  private readonly now: () => number;

  constructor(private readonly deps: FileDeliveryDeps) {
    this.settings = { ...DEFAULT_FILE_DELIVERY, ...deps.settings };
    this.now = deps.clock ?? Date.now;
  }

  async offer(address: ConversationAddress, file: OutgoingFile): Promise<'offered' | 'needs-personal-chat'> {
    // Teams only offers file consent cards in 1:1 chats; in a group everyone would see the offer of one admin.
    if (address.kind !== 'personal') return 'needs-personal-chat';
    if (file.content.length > this.settings.maxBytes)
      throw new Error(`File ${file.name} is ${file.content.length} bytes, over the ${this.settings.maxBytes} limit`);
    const now = this.now();
    await this.deps.db.deleteFrom('file_offers').where('expires_at', '<=', now).execute();
    const id = randomBytes(16).toString('base64url');
    await this.deps.db
      .insertInto('file_offers')
      .values({
        id,
        conversation_id: address.conversationId,
        name: file.name,
        content_type: file.contentType,
        size: file.content.length,
        content: file.content.toString('base64'),
        created_at: now,
        expires_at: now + this.settings.ttlMs,
      })
      .execute();
    const context: OfferContext = { offerId: id };
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, referenceOfAddress(address), async (turn) => {
      await turn.sendActivity({
        type: ActivityTypes.Message,
        summary: `File: ${file.name}`,
        attachments: [
          {
            contentType: FILE_CONSENT_CONTENT_TYPE,
            name: file.name,
            content: {
              description: file.description,
              sizeInBytes: file.content.length,
              acceptContext: context,
              declineContext: context,
            },
          },
        ],
      });
    });
    return 'offered';
  }

  /** Registers the `fileConsent/invoke` handlers (teams-ai answers the invoke 200 once a handler returns). */
  installRoutes(app: Application<TurnState>): void {
    app.fileConsentAccept((turn, _state, response) => this.accepted(turn, response));
    app.fileConsentDecline((turn, _state, response) => this.declined(turn, response));
  }

  /** Accepted: the bytes go to the upload session Teams created, then a file card links the file. */
  async accepted(turn: TurnContext, response: FileConsentCardResponse): Promise<void> {
    const offer = await this.take(turn, response);
    if (!offer) return this.say(turn, 'This file offer has expired or was already used. Ask for the file again.');
    const upload = response.uploadInfo;
    try {
      if (!upload?.uploadUrl) throw new Error('no upload URL in the consent answer');
      await this.put(upload.uploadUrl, Buffer.from(offer.content, 'base64'));
    } catch (err) {
      this.deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'file upload failed');
      return this.say(turn, `${offer.name} could not be uploaded to your OneDrive. Ask for the file again.`);
    }
    await turn.sendActivity({
      type: ActivityTypes.Message,
      summary: `File: ${upload.name ?? offer.name}`,
      attachments: [
        {
          contentType: FILE_INFO_CONTENT_TYPE,
          name: upload.name ?? offer.name,
          contentUrl: upload.contentUrl,
          content: { uniqueId: upload.uniqueId, fileType: upload.fileType },
        },
      ],
    });
  }

  async declined(turn: TurnContext, response: FileConsentCardResponse): Promise<void> {
    const offer = await this.take(turn, response);
    if (offer) await this.say(turn, `You declined ${offer.name}; it was discarded.`);
  }

  /** The offer the card names, in this conversation, not expired — removed, so it is used once. */
  private async take(turn: TurnContext, response: FileConsentCardResponse) {
    const offerId = (response.context as OfferContext | undefined)?.offerId;
    if (typeof offerId !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(offerId)) return undefined;
    const row = await this.deps.db
      .selectFrom('file_offers')
      .selectAll()
      .where('id', '=', offerId)
      .where('conversation_id', '=', turn.activity.conversation?.id ?? '')
      .where('expires_at', '>', this.now())
      .executeTakeFirst();
    if (!row) return undefined;
    const deleted = await this.deps.db.deleteFrom('file_offers').where('id', '=', offerId).executeTakeFirst();
    // Two clicks racing (or two instances): only the one that deleted the row uploads.
    return Number(deleted.numDeletedRows) === 1 ? row : undefined;
  }

  /** One PUT of the whole file to the upload session (OneDrive takes up to 60 MiB per fragment). */
  private async put(url: string, bytes: Buffer): Promise<void> {
    if (new URL(url).protocol !== 'https:') throw new Error('the upload URL is not https');
    const response = await undiciFetch(url, {
      method: 'PUT',
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `bytes 0-${bytes.length - 1}/${bytes.length}`,
      },
      body: bytes,
      redirect: 'error',
      signal: AbortSignal.timeout(this.settings.uploadTimeoutMs),
      ...(this.deps.trust.dispatcher ? { dispatcher: this.deps.trust.dispatcher } : {}),
    });
    await response.arrayBuffer();
    if (response.status !== 200 && response.status !== 201) throw new Error(`the upload answered ${response.status}`);
  }

  private async say(turn: TurnContext, message: string): Promise<void> {
    await turn.sendActivity(outputActivity({ card: 'notice', data: { title: 'File', message }, text: message }));
  }
}
