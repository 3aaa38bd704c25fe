/**
 * Checks JSON payloads against the CSDL: property names (declared on the type, its base types, or the derived
 * type named by `@odata.type`), primitive representations, enum members, complex values recursively,
 * collections, nullability, and expanded navigation properties. Instance annotations (`@odata.*`, `prop@…`)
 * are allowed. Missing properties are not reported: Graph returns default property sets and `$select`.
 */
import type { CsdlModel, TypeRef } from './model.js';
import { loadGraphCsdl } from './load.js';
import type { ResolvedGraphPath } from './path.js';
import { checkPrimitive, describe } from './primitives.js';

export interface ValidationIssue {
  /** JSON path within the payload, e.g. `value[2].effectivePolicyAssignments[0].policyAssignment`. */
  path: string;
  message: string;
}

export interface ValidateOptions {
  model?: CsdlModel;
  /**
   * OData lets open types carry undeclared (dynamic) properties. Off by default: the stand-in must not invent
   * properties Graph does not publish, even on open types such as user or team.
   */
  allowDynamicProperties?: boolean;
  /**
   * Graph returns enum members declared after `unknownFutureValue` ("evolvable enums") only to clients that
   * send `Prefer: include-unknown-enum-members`; otherwise it sends `unknownFutureValue`. Off by default.
   */
  includeUnknownEnumMembers?: boolean;
}

interface Context {
  model: CsdlModel;
  options: ValidateOptions;
  issues: ValidationIssue[];
}

/** Validates one entity (or complex value) against `typeName` (fully qualified, e.g. `microsoft.graph.user`). */
export function validateEntity(typeName: string, json: unknown, options: ValidateOptions = {}): ValidationIssue[] {
  const ctx: Context = { model: options.model ?? loadGraphCsdl(), options, issues: [] };
  if (!ctx.model.structuredType(typeName))
    return [{ path: '', message: `type ${typeName} does not exist in the CSDL` }];
  validateStructured(ctx, typeName, json, '');
  return ctx.issues;
}

/**
 * Validates a whole response body for a resolved path: `{value:[…]}` collections, single entities, `{value: x}`
 * primitives.
 */
export function validateResponseBody(
  resolved: ResolvedGraphPath,
  body: unknown,
  options: ValidateOptions = {},
): ValidationIssue[] {
  const ctx: Context = { model: options.model ?? loadGraphCsdl(), options, issues: [] };
  if (resolved.type === null || resolved.kind === 'count' || resolved.kind === 'value' || resolved.kind === 'service')
    return [];
  const structured = resolved.kind === 'entity' || resolved.kind === 'complex';
  if (resolved.kind === 'ref') {
    checkEnvelope(ctx, body, resolved.isCollection, (item, path) => checkReference(ctx, item, path));
  } else if (resolved.isCollection || !structured) {
    checkEnvelope(ctx, body, resolved.isCollection, (item, path) =>
      validateValue(ctx, { name: resolved.type!, isCollection: false }, true, item, path),
    );
  } else {
    validateStructured(ctx, resolved.type, body, '');
  }
  return ctx.issues;
}

const COLLECTION_ENVELOPE_KEYS = new Set([
  '@odata.context',
  '@odata.nextLink',
  '@odata.count',
  '@odata.deltaLink',
  'value',
]);

function checkEnvelope(
  ctx: Context,
  body: unknown,
  isCollection: boolean,
  checkItem: (item: unknown, path: string) => void,
): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    ctx.issues.push({ path: '', message: `expected a JSON object with 'value', got ${describe(body)}` });
    return;
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!COLLECTION_ENVELOPE_KEYS.has(key) && !(key.startsWith('@') && !isCollection)) {
      ctx.issues.push({
        path: key,
        message: `unexpected member '${key}' in a ${isCollection ? 'collection' : 'value'} response`,
      });
    }
  }
  if (!('value' in record)) {
    if (isCollection || !('@odata.id' in record)) ctx.issues.push({ path: '', message: "missing 'value'" });
    else checkItem(record, '');
    return;
  }
  if (!isCollection) {
    checkItem(record.value, 'value');
    return;
  }
  if (!Array.isArray(record.value)) {
    ctx.issues.push({ path: 'value', message: `expected an array, got ${describe(record.value)}` });
    return;
  }
  record.value.forEach((item, i) => checkItem(item, `value[${i}]`));
}

function checkReference(ctx: Context, item: unknown, path: string): void {
  const id = (item as Record<string, unknown> | null)?.['@odata.id'];
  if (typeof id !== 'string') ctx.issues.push({ path, message: "an entity reference needs a string '@odata.id'" });
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function validateStructured(ctx: Context, declaredType: string, value: unknown, path: string): void {
  const { model } = ctx;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.issues.push({ path, message: `expected an object of type ${declaredType}, got ${describe(value)}` });
    return;
  }
  const record = value as Record<string, unknown>;
  let actualType = declaredType;
  const odataType = record['@odata.type'];
  if (odataType !== undefined) {
    const named = typeof odataType === 'string' && odataType.startsWith('#') ? odataType.slice(1) : undefined;
    if (!named || !model.structuredType(named)) {
      ctx.issues.push({
        path: join(path, '@odata.type'),
        message: `'${String(odataType)}' does not name a type in the CSDL (expected '#namespace.type')`,
      });
      return;
    }
    if (!model.isSameOrDerivedFrom(named, declaredType)) {
      ctx.issues.push({
        path: join(path, '@odata.type'),
        message: `${named} is not ${declaredType} or derived from it`,
      });
      return;
    }
    actualType = named;
  }
  if (model.isAbstract(actualType)) {
    ctx.issues.push({
      path,
      message: `${actualType} is abstract: the payload needs '@odata.type' naming a concrete derived type`,
    });
  }
  const open = model.isOpen(actualType);
  for (const [key, propertyValue] of Object.entries(record)) {
    if (key.startsWith('@')) continue;
    const at = key.indexOf('@');
    const propertyName = at === -1 ? key : key.slice(0, at);
    const property = model.findProperty(actualType, propertyName);
    const navigation = property ? undefined : model.findNavigationProperty(actualType, propertyName);
    if (!property && !navigation) {
      if (!(open && ctx.options.allowDynamicProperties)) {
        ctx.issues.push({
          path: join(path, key),
          message: `property '${propertyName}' does not exist on ${actualType} (nor its base types)`,
        });
      }
      continue;
    }
    if (at !== -1) continue; // a property annotation such as `members@odata.nextLink`
    const declared = property ?? navigation!;
    validateValue(ctx, declared.type, declared.nullable, propertyValue, join(path, key));
  }
}

function validateValue(ctx: Context, type: TypeRef, nullable: boolean, value: unknown, path: string): void {
  if (type.isCollection) {
    if (!Array.isArray(value)) {
      // OData JSON §7.6: a collection is never null; an empty collection is [].
      ctx.issues.push({ path, message: `expected an array (Collection(${type.name})), got ${describe(value)}` });
      return;
    }
    value.forEach((item, i) => {
      const itemPath = `${path}[${i}]`;
      if (item === null) {
        if (!nullable)
          ctx.issues.push({ path: itemPath, message: `null item in a collection of non-nullable ${type.name}` });
      } else {
        validateSingle(ctx, type.name, item, itemPath);
      }
    });
    return;
  }
  if (value === null) {
    if (!nullable)
      ctx.issues.push({ path, message: `null is not allowed: the property is Nullable="false" (${type.name})` });
    return;
  }
  validateSingle(ctx, type.name, value, path);
}

function validateSingle(ctx: Context, typeName: string, value: unknown, path: string): void {
  const { model } = ctx;
  const underlying = model.typeDefinitions.get(typeName);
  if (underlying) return validateSingle(ctx, underlying, value, path);
  const enumType = model.enumTypes.get(typeName);
  if (enumType) {
    if (typeof value !== 'string') {
      ctx.issues.push({ path, message: `expected a member name of ${typeName}, got ${describe(value)}` });
      return;
    }
    const names = enumType.isFlags ? value.split(',').map((s) => s.trim()) : [value];
    const futureMarker = enumType.members.indexOf('unknownFutureValue');
    for (const name of names) {
      const index = enumType.members.indexOf(name);
      if (index === -1) {
        ctx.issues.push({ path, message: `'${name}' is not a member of ${typeName} (${enumType.members.join(', ')})` });
      } else if (futureMarker !== -1 && index > futureMarker && !ctx.options.includeUnknownEnumMembers) {
        ctx.issues.push({
          path,
          message:
            `'${name}' is an evolvable member of ${typeName}: Graph sends 'unknownFutureValue' unless the client ` +
            `sends Prefer: include-unknown-enum-members`,
        });
      }
    }
    return;
  }
  if (model.structuredType(typeName)) {
    validateStructured(ctx, typeName, value, path);
    return;
  }
  if (!typeName.startsWith('Edm.')) {
    ctx.issues.push({ path, message: `type ${typeName} does not exist in the CSDL` });
    return;
  }
  const problem = checkPrimitive(typeName, value);
  if (problem) ctx.issues.push({ path, message: problem });
}
