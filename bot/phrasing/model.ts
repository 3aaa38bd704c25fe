import type { PhraseModel, PhraseTool, PhraseToolCall } from '../commands/ports-phrasing.js';
import type { Logger } from '../log.js';
import type { PhrasingSettings } from './config.js';

/** Longest phrase sent: a request is a sentence; more is not a request. */
const MAX_PHRASE = 500;
/** Longest answer read: one tool call is a few hundred bytes. */
const MAX_RESPONSE_BYTES = 64 * 1024;

const SYSTEM_PROMPT =
  "You turn a Microsoft 365 / Teams administrator's request into one of this chat bot's commands. Call the one " +
  'tool that does what the administrator asks, copying values (UPNs, names, ids, numbers) exactly as written in ' +
  'the request. Never invent a value; leave out what the request does not say. If no tool fits, answer "none".';

interface ChatResponse {
  choices?: Array<{ message?: { tool_calls?: Array<{ function?: { name?: unknown; arguments?: unknown } }> } }>;
}

/**
 * Azure OpenAI chat completions with the commands as tools. Any failure (timeout, HTTP error, unparsable answer) is
 * logged without the phrase or the key and answers "nothing", so the admin gets the usual unknown-command card.
 */
export function createPhraseModel(settings: PhrasingSettings, log: Logger, timeoutMs = 8000): PhraseModel {
  const url =
    `${settings.endpoint}/openai/deployments/${encodeURIComponent(settings.deployment)}/chat/completions` +
    `?api-version=${encodeURIComponent(settings.apiVersion)}`;
  return {
    async propose(text: string, tools: readonly PhraseTool[]): Promise<PhraseToolCall | undefined> {
      const started = Date.now();
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'api-key': settings.key },
          body: JSON.stringify({
            messages: [
              { role: 'system', content: SYSTEM_PROMPT },
              { role: 'user', content: text.slice(0, MAX_PHRASE) },
            ],
            tools: tools.map((tool) => ({ type: 'function', function: tool })),
            tool_choice: 'auto',
            temperature: 0,
            max_tokens: 300,
          }),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        const body = await response.text();
        if (!response.ok || body.length > MAX_RESPONSE_BYTES) {
          log.warn({ status: response.status, ms: Date.now() - started }, 'phrase model: no usable answer');
          return undefined;
        }
        const call = (JSON.parse(body) as ChatResponse).choices?.[0]?.message?.tool_calls?.[0]?.function;
        if (typeof call?.name !== 'string' || typeof call.arguments !== 'string') return undefined;
        const args = JSON.parse(call.arguments) as unknown;
        if (!args || typeof args !== 'object' || Array.isArray(args)) return undefined;
        return { name: call.name, arguments: args as Record<string, unknown> };
      } catch (err) {
        log.warn(
          { error: err instanceof Error ? err.name : 'unknown', ms: Date.now() - started },
          'phrase model: call failed',
        );
        return undefined;
      }
    },
  };
}

/** The configured model, or undefined (the default: nothing is sent anywhere). */
export function phraseModelFrom(settings: PhrasingSettings | undefined, log: Logger): PhraseModel | undefined {
  return settings ? createPhraseModel(settings, log) : undefined;
}
