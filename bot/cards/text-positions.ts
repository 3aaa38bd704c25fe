import { ExpressionEvaluator, ExpressionFunctions, FunctionUtils, ReturnType } from 'adaptive-expressions';
import { MAX_LABEL_CHARS, MAX_TEXT_CHARS, plainLabel, plainText } from './plain-text.js';

/**
 * Where a card shows text, a template's `${expr}` becomes `${plainText(expr)}` (Markdown is rendered there:
 * `TextBlock.text`, `Fact.value`), `${plainTitle(expr)}` (`Fact.title`, short) or `${plainLabel(expr)}` (no Markdown:
 * button titles, input labels) when the template is loaded, so the literal text around it keeps its Markdown and
 * the bound value is shown as plain text. Keys that are not shown (conditions, colours, the data an action sends
 * back) keep the raw value; a `${…}` anywhere else is refused when the template loads, so a new template cannot
 * bind data into an unclassified place.
 */

type Json = unknown;
type Kind = 'plainText' | 'plainTitle' | 'plainLabel' | 'plainRun';

const RENDER: Record<Kind, (value: unknown) => string> = {
  plainText: (value) => plainText(value, MAX_TEXT_CHARS),
  plainTitle: (value) => plainText(value, MAX_LABEL_CHARS),
  plainLabel: (value) => plainLabel(value, MAX_LABEL_CHARS),
  // A RichTextBlock's TextRun renders no Markdown: the way to show a value that must be copied exactly (a password).
  plainRun: (value) => plainLabel(value, MAX_TEXT_CHARS),
};

/** Keys whose bound value is never displayed as text (or is a URL the code built, for `Action.OpenUrl`). */
const NOT_DISPLAYED = new Set(['$when', '$data', 'color', 'url', 'userIds', 'verb', 'style', 'id', 'width']);

/** Which displayed text a key of an element holds, by the element's type (`undefined`: not displayed text). */
function displayedKind(type: string | undefined, parentKey: string | undefined, key: string): Kind | undefined {
  if (key === 'fallbackText') return 'plainText';
  if (key === 'speak') return 'plainLabel';
  if (type === 'TextBlock') return key === 'text' ? 'plainText' : undefined;
  if (type === 'TextRun') return key === 'text' ? 'plainRun' : undefined;
  if (type?.startsWith('Action.')) return key === 'title' || key === 'tooltip' ? 'plainLabel' : undefined;
  if (type?.startsWith('Input.')) {
    return ['label', 'placeholder', 'errorMessage', 'title', 'value'].includes(key) ? 'plainLabel' : undefined;
  }
  if (type === undefined && parentKey === 'facts') {
    return key === 'value' ? 'plainText' : key === 'title' ? 'plainTitle' : undefined;
  }
  if (type === undefined && parentKey === 'choices') return key === 'title' ? 'plainLabel' : undefined;
  return undefined;
}

/** Splits `a ${x} b ${y}` into literal text and expressions (braces and quotes inside an expression balanced). */
function rewriteExpressions(text: string, wrap: (expression: string) => string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) break;
    let depth = 1;
    let quote: string | undefined;
    let j = start + 2;
    for (; j < text.length && depth > 0; j++) {
      const c = text[j];
      if (quote) quote = c === quote ? undefined : quote;
      else if (c === "'" || c === '"') quote = c;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    if (depth > 0) throw new Error(`Unclosed template expression in "${text}"`);
    out += text.slice(i, start) + '${' + wrap(text.slice(start + 2, j - 1)) + '}';
    i = j;
  }
  return out + text.slice(i);
}

function compileNode(node: Json, type: string | undefined, parentKey: string | undefined, inActionData: boolean): Json {
  if (Array.isArray(node)) return node.map((item) => compileNode(item, undefined, parentKey, inActionData));
  if (node === null || typeof node !== 'object') return node;
  const element = node as Record<string, Json>;
  const elementType = typeof element.type === 'string' ? element.type : type;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(element)) {
    if (typeof value !== 'string') {
      const actionData = inActionData || (key === 'data' && elementType?.startsWith('Action.') === true);
      out[key] = compileNode(value, undefined, key, actionData);
      continue;
    }
    const kind = inActionData ? undefined : displayedKind(elementType, parentKey, key);
    if (kind) {
      out[key] = rewriteExpressions(value, (expression) => `${kind}(${expression})`);
    } else if (value.includes('${') && !inActionData && !NOT_DISPLAYED.has(key)) {
      throw new Error(`Card template binds data into "${key}", which is not classified as displayed or not`);
    } else {
      out[key] = value;
    }
  }
  return out;
}

let registered = false;

/** adaptivecards-templating looks functions up in adaptive-expressions' standard table only. */
function registerFunctions(): void {
  if (registered) return;
  const table = ExpressionFunctions.standardFunctions as Map<string, ExpressionEvaluator>;
  for (const [name, render] of Object.entries(RENDER)) {
    const evaluate = FunctionUtils.apply((args: unknown[]) => render(args[0]));
    const validate = (expression: Parameters<typeof FunctionUtils.validateArityAndAnyType>[0]) =>
      FunctionUtils.validateArityAndAnyType(expression, 1, 1);
    table.set(name, new ExpressionEvaluator(name, evaluate, ReturnType.String, validate));
  }
  registered = true;
}

/** A template whose displayed text shows bound values as plain text. */
export function compileTemplate<T>(template: T): T {
  registerFunctions();
  return compileNode(template, undefined, undefined, false) as T;
}
