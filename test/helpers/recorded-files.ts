import type { ConversationAddress, FileDelivery, OutgoingFile } from '../../bot/commands/ports.js';

/**
 * Records the files commands offer (the Teams side of file consent has its own HTTP test,
 * test/http/file-delivery.test.ts); answers as the real delivery does for the conversation's kind.
 */
export class RecordedFiles implements FileDelivery {
  readonly offered: Array<{ address: ConversationAddress; file: OutgoingFile }> = [];

  async offer(address: ConversationAddress, file: OutgoingFile): Promise<'offered' | 'needs-personal-chat'> {
    if (address.kind !== 'personal') return 'needs-personal-chat';
    this.offered.push({ address, file });
    return 'offered';
  }

  /** The last file offered, as text. */
  lastText(): string {
    const last = this.offered.at(-1);
    if (!last) throw new Error('no file was offered');
    return last.file.content.toString('utf8');
  }
}
