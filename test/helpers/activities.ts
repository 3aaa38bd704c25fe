import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';

/** Fixed ids shaped like Teams' own, so tests read like real traffic. */
export const TEST_TENANT_ID = '6e1f1f2a-3b4c-4d5e-8f90-a1b2c3d4e5f6';
export const TEST_BOT = { id: '28:3b9c2a5e-1d4f-4e8a-9b7c-6d5e4f3a2b1c', name: 'Admin Bot' };
export const TEST_USER = { id: '29:1a2b3c', name: 'Megan Admin', aadObjectId: '0f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c' };

/** A Teams message activity as the channel posts it to `/api/messages`. */
export function messageActivity(text: string, overrides: Partial<Activity> = {}): Partial<Activity> {
  return {
    type: 'message',
    id: randomUUID(),
    text,
    textFormat: 'plain',
    channelId: 'msteams',
    timestamp: new Date(),
    from: TEST_USER,
    recipient: TEST_BOT,
    conversation: {
      id: 'a:personal-1',
      conversationType: 'personal',
      tenantId: TEST_TENANT_ID,
      isGroup: false,
      name: '',
    },
    channelData: { tenant: { id: TEST_TENANT_ID } },
    locale: 'en-US',
    ...overrides,
  };
}
