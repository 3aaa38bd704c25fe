/**
 * Checks an `@odata.context` URL against the CSDL and against what the request path resolved to (OData JSON 4.01 §10):
 * `…/$metadata#users`, `#users/$entity`, `#users(id,displayName)`, `#teams('x')/members`, `#Collection(ns.type)`,
 * `#ns.type`, `#Edm.Boolean`. The fragment must resolve, name the same (or a related) type, and agree on
 * collection vs single entity (a single entity reached through a set needs `/$entity`).
 */
import type { CsdlModel } from './model.js';
import { loadGraphCsdl } from './load.js';
import { resolveGraphPath, type ResolvedGraphPath } from './path.js';
import type { ValidationIssue } from './validate.js';

const PATH = '@odata.context';

export function checkContextUrl(
  context: unknown,
  resolved: ResolvedGraphPath,
  model: CsdlModel = loadGraphCsdl(),
): ValidationIssue[] {
  if (typeof context !== 'string') return [{ path: PATH, message: `expected a string, got ${typeof context}` }];
  const hash = context.indexOf('$metadata#');
  if (hash === -1) return [{ path: PATH, message: `'${context}' has no '$metadata#' fragment` }];
  const fragment = context.slice(hash + '$metadata#'.length);
  const related = (a: string | null, b: string | null): boolean =>
    a !== null && b !== null && (a === b || model.isSameOrDerivedFrom(a, b) || model.isSameOrDerivedFrom(b, a));
  const issue = (message: string): ValidationIssue[] => [{ path: PATH, message: `'${fragment}': ${message}` }];

  if (fragment === '$ref' || fragment === 'Collection($ref)') {
    return resolved.kind === 'ref' && (fragment === '$ref') !== resolved.isCollection
      ? []
      : issue('does not match the path');
  }
  // Type-named contexts: Collection(T) or T (results of functions/actions, primitives, complex values).
  const collection = fragment.startsWith('Collection(') && fragment.endsWith(')');
  const typeName = collection ? fragment.slice('Collection('.length, -1) : fragment;
  if (collection || isTypeName(model, typeName)) {
    if (!isTypeName(model, typeName)) return issue(`${typeName} is not a type in the CSDL`);
    if (!related(typeName, resolved.type)) return issue(`names ${typeName}, but the path returns ${resolved.type}`);
    if (collection !== resolved.isCollection)
      return issue(
        `says ${collection ? 'a collection' : 'a single value'}, the path returns ${resolved.isCollection ? 'a collection' : 'a single value'}`,
      );
    return [];
  }

  const entity = fragment.endsWith('/$entity');
  const path = stripSelectList(entity ? fragment.slice(0, -'/$entity'.length) : fragment);
  const target = resolveGraphPath(path, { model });
  if (!target.ok) return issue(`segment '${target.segment}' does not resolve (${target.message})`);
  if (!related(target.type, resolved.type))
    return issue(`resolves to ${target.type}, but the path returns ${resolved.type}`);
  const single = entity || !target.isCollection;
  if (single === resolved.isCollection)
    return issue(
      `says ${single ? 'a single entity' : 'a collection'}, the path returns ${resolved.isCollection ? 'a collection' : 'a single entity'}`,
    );
  if (!resolved.isCollection && target.isCollection && !entity)
    return issue("a single entity of a collection needs '/$entity'");
  if (entity && !target.isCollection) return issue("'/$entity' only follows a collection");
  return [];
}

function isTypeName(model: CsdlModel, name: string): boolean {
  return (
    name.startsWith('Edm.') ||
    model.structuredTypes.has(name) ||
    model.enumTypes.has(name) ||
    model.typeDefinitions.has(name)
  );
}

/** `users(id,displayName)` → `users`; a key such as `users('x')` or `roles(roleTemplateId='…')` is kept. */
function stripSelectList(path: string): string {
  if (!path.endsWith(')')) return path;
  const open = path.lastIndexOf('(');
  const inner = path.slice(open + 1, -1);
  return inner.includes("'") || inner.includes('=') ? path : path.slice(0, open);
}
