import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { addressOfReference } from '../../bot/teams/messenger.js';
import { FILE_CONSENT_CONTENT_TYPE, FILE_INFO_CONTENT_TYPE } from '../../bot/teams/file-delivery.js';
import { ensureTlsMaterial } from '../../devtenant/identity/key-material.js';
import { TEST_BOT, TEST_TENANT_ID, TEST_USER, messageActivity } from '../helpers/activities.js';
import { postActivity, startTestBot, type TestBot } from '../helpers/bot-server.js';
import { ConnectorStandIn } from '../helpers/connector.js';
import { cardText } from '../helpers/test-adapter.js';

/** A stand-in for the OneDrive upload session Teams creates when a user accepts a file (HTTPS, devtenant CA). */
class UploadStandIn {
  readonly received: Array<{ method: string; path: string; range?: string; body: Buffer }> = [];
  status = 201;
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    const tls = await ensureTlsMaterial(join(process.cwd(), 'test-results', 'devtenant'));
    this.server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const range = req.headers['content-range'];
        this.received.push({ method: req.method ?? '', path: req.url ?? '', range, body: Buffer.concat(chunks) });
        res.writeHead(this.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'drive-item-1', name: 'report.csv' }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('file delivery (Teams file consent) over HTTP', () => {
  let bot: TestBot;
  let connector: ConnectorStandIn;
  let upload: UploadStandIn;

  before(async () => {
    connector = await new ConnectorStandIn().start();
    upload = await new UploadStandIn().start();
    const tls = await ensureTlsMaterial(join(process.cwd(), 'test-results', 'devtenant'));
    bot = await startTestBot({ EXTRA_CA_FILE: tls.caCertPath });
  });
  after(async () => {
    await bot.close();
    await connector.close();
    await upload.close();
  });

  const personal = () =>
    addressOfReference({
      channelId: 'msteams',
      serviceUrl: connector.url,
      bot: TEST_BOT,
      user: TEST_USER,
      conversation: {
        id: 'a:personal-1',
        conversationType: 'personal',
        tenantId: TEST_TENANT_ID,
        isGroup: false,
        name: '',
      },
    });

  const csv = Buffer.from('id,name\n1,"Smith, Ann"\n');

  async function offerAndReadCard() {
    const since = connector.replies.length;
    const outcome = await bot.files.offer(personal(), {
      name: 'report.csv',
      contentType: 'text/csv',
      content: csv,
      description: 'MFA report, 2 rows',
    });
    assert.equal(outcome, 'offered');
    const reply = await connector.next(
      (r) => r.activity.attachments?.[0]?.contentType === FILE_CONSENT_CONTENT_TYPE,
      5000,
      since,
    );
    return reply.activity.attachments![0];
  }

  function consentInvoke(action: 'accept' | 'decline', context: unknown, uploadUrl = `${upload.url}/upload/session-1`) {
    return messageActivity('', {
      type: 'invoke',
      name: 'fileConsent/invoke',
      serviceUrl: connector.url,
      value: {
        type: 'fileUpload',
        action,
        context,
        uploadInfo:
          action === 'accept'
            ? {
                name: 'report.csv',
                uploadUrl,
                contentUrl: 'https://contoso-my.sharepoint.com/personal/megan/Documents/Applications/report.csv',
                uniqueId: 'ABCDEF-1234',
                fileType: 'csv',
              }
            : undefined,
      },
    } as Partial<Activity>);
  }

  it('offers a consent card with name, size and an opaque id; accept uploads the bytes and shows a file card', async () => {
    const card = await offerAndReadCard();
    assert.equal(card.name, 'report.csv');
    const content = card.content as { sizeInBytes: number; description: string; acceptContext: { offerId: string } };
    assert.equal(content.sizeInBytes, csv.length);
    assert.equal(content.description, 'MFA report, 2 rows');
    assert.match(content.acceptContext.offerId, /^[A-Za-z0-9_-]{16,64}$/);
    assert.doesNotMatch(JSON.stringify(card), /\/(tmp|work|home)\//, 'no server path in the card');

    const since = connector.replies.length;
    const response = await postActivity(bot.url, consentInvoke('accept', content.acceptContext));
    assert.equal(response.status, 200);
    const uploaded = upload.received.at(-1)!;
    assert.equal(uploaded.method, 'PUT');
    assert.equal(uploaded.path, '/upload/session-1');
    assert.equal(uploaded.range, `bytes 0-${csv.length - 1}/${csv.length}`);
    assert.deepEqual(uploaded.body, csv);
    const info = await connector.next(
      (r) => r.activity.attachments?.[0]?.contentType === FILE_INFO_CONTENT_TYPE,
      5000,
      since,
    );
    const attachment = info.activity.attachments![0];
    assert.equal(
      attachment.contentUrl,
      'https://contoso-my.sharepoint.com/personal/megan/Documents/Applications/report.csv',
    );
    assert.deepEqual(attachment.content, { uniqueId: 'ABCDEF-1234', fileType: 'csv' });

    // The offer is used once: accepting the same card again uploads nothing.
    const uploads = upload.received.length;
    const again = connector.replies.length;
    assert.equal((await postActivity(bot.url, consentInvoke('accept', content.acceptContext))).status, 200);
    const notice = await connector.next(() => true, 5000, again);
    assert.match(
      cardText(notice.activity.attachments![0].content as Record<string, unknown>),
      /expired or was already used/,
    );
    assert.equal(upload.received.length, uploads);
  });

  it('decline discards the file and says so; nothing is uploaded', async () => {
    const card = await offerAndReadCard();
    const uploads = upload.received.length;
    const since = connector.replies.length;
    const context = (card.content as { declineContext: unknown }).declineContext;
    assert.equal((await postActivity(bot.url, consentInvoke('decline', context))).status, 200);
    const notice = await connector.next(() => true, 5000, since);
    assert.match(cardText(notice.activity.attachments![0].content as Record<string, unknown>), /declined report\.csv/);
    assert.equal(upload.received.length, uploads);
    const later = connector.replies.length;
    await postActivity(bot.url, consentInvoke('accept', context));
    await connector.next(() => true, 5000, later);
    assert.equal(upload.received.length, uploads, 'a declined offer cannot be accepted later');
  });

  it('refuses an upload URL that is not https, and a failing upload, with a notice', async () => {
    for (const url of ['http://127.0.0.1:9/upload', `${upload.url}/fails`]) {
      upload.status = url.endsWith('/fails') ? 500 : 201;
      const card = await offerAndReadCard();
      const since = connector.replies.length;
      const context = (card.content as { acceptContext: unknown }).acceptContext;
      assert.equal((await postActivity(bot.url, consentInvoke('accept', context, url))).status, 200);
      const notice = await connector.next(() => true, 5000, since);
      assert.match(
        cardText(notice.activity.attachments![0].content as Record<string, unknown>),
        /could not be uploaded/,
      );
    }
    upload.status = 201;
  });

  it('answers "needs-personal-chat" in a group chat and sends nothing', async () => {
    const since = connector.replies.length;
    const group = addressOfReference({
      channelId: 'msteams',
      serviceUrl: connector.url,
      conversation: {
        id: '19:group',
        conversationType: 'groupChat',
        tenantId: TEST_TENANT_ID,
        isGroup: true,
        name: '',
      },
    });
    const outcome = await bot.files.offer(group, {
      name: 'a.csv',
      contentType: 'text/csv',
      content: csv,
      description: '',
    });
    assert.equal(outcome, 'needs-personal-chat');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(connector.replies.length, since);
  });

  it('an accept from another conversation finds no offer', async () => {
    const card = await offerAndReadCard();
    const uploads = upload.received.length;
    const since = connector.replies.length;
    const invoke = consentInvoke('accept', (card.content as { acceptContext: unknown }).acceptContext);
    invoke.conversation = { ...invoke.conversation!, id: 'a:personal-other' };
    assert.equal((await postActivity(bot.url, invoke)).status, 200);
    await connector.next(() => true, 5000, since);
    assert.equal(upload.received.length, uploads);
  });
});
