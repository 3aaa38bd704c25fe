import { CodedError, ErrorCode } from '../../errors.js';
import type { OutgoingFile } from '../ports.js';
import type { CommandContext } from '../types.js';

export type FileOutcome = 'offered' | 'needs-personal-chat';

/**
 * Offers files to the admin who asked (Teams file consent in a 1:1 chat). Elsewhere nothing is sent and the caller
 * tells them to ask in a 1:1 chat: a file in a group would be one admin's data shown to everyone.
 */
export async function offerFiles(ctx: CommandContext, files: OutgoingFile[]): Promise<FileOutcome> {
  const { files: delivery } = ctx.services;
  if (!delivery || !ctx.address)
    throw new CodedError(ErrorCode.Internal, 'File delivery is not configured on this bot.');
  if (ctx.address.kind !== 'personal') return 'needs-personal-chat';
  for (const file of files) if ((await delivery.offer(ctx.address, file)) !== 'offered') return 'needs-personal-chat';
  return 'offered';
}

/** What to tell the admin about the files, in one sentence. */
export function fileOutcomeText(outcome: FileOutcome, what: string, command: string): string {
  return outcome === 'offered'
    ? `${what}: accept the file card to save it to your OneDrive.`
    : `${what} is delivered as a file in a 1:1 chat only: ask me "${command}" there.`;
}
