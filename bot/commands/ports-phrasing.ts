/** A command offered to a language model as a tool (chat-completions function calling). */
export interface PhraseTool {
  name: string;
  description: string;
  /** JSON Schema of the arguments: strings, and booleans for switches. */
  parameters: Record<string, unknown>;
}

/** The tool a model chose for a phrase, with its arguments (untrusted: checked before anything is shown). */
export interface PhraseToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * A language model that may propose a command for free text the matcher cannot place. Only a proposal: it is shown
 * on the "Did you mean…" card and runs only when clicked. Resolves undefined when it has nothing (or fails).
 */
export interface PhraseModel {
  propose(text: string, tools: readonly PhraseTool[]): Promise<PhraseToolCall | undefined>;
}
