import type { ConversationInfo, TeamsActor } from '../commands/types.js';

/** What the core commands (signout) may ask of the identity module. */
export interface IdentityCommandServices {
  /** Removes the user's token-cache partition; false when there was nothing to remove. */
  signOut(actor: TeamsActor, conversation: ConversationInfo): Promise<boolean>;
}

// The identity services ride on CommandServices without editing the command engine's types: present when
// identity is configured, absent otherwise.
declare module '../commands/types.js' {
  interface CommandServices {
    readonly identity?: IdentityCommandServices;
  }
}
