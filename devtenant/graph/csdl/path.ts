/**
 * Walks a Graph URL path through the CSDL, the way Graph's OData router does: container child → key →
 * navigation/structural property → type cast → bound action/function (plain or namespace-qualified) →
 * `$ref` / `$count` / `$value`. Returns the resulting type, or the first segment that does not exist.
 */
import type { CsdlModel, CsdlOperation } from './model.js';
import { loadGraphCsdl } from './load.js';
import { parseSegment, SegmentSyntaxError, splitPath, type ParsedSegment } from './segments.js';

export type ResultKind = 'entity' | 'complex' | 'primitive' | 'enum' | 'none' | 'ref' | 'count' | 'value' | 'service';

export interface ResolvedSegment {
  segment: string;
  as:
    | 'entitySet'
    | 'singleton'
    | 'key'
    | 'navigation'
    | 'property'
    | 'cast'
    | 'action'
    | 'function'
    | '$ref'
    | '$count'
    | '$value'
    | 'service';
  type: string | null;
  isCollection: boolean;
}

export interface ResolvedGraphPath {
  ok: true;
  /** Fully qualified result type; null for an action without a return type. */
  type: string | null;
  isCollection: boolean;
  kind: ResultKind;
  /** The bound operation, when the path ends in one. */
  operation?: CsdlOperation;
  segments: ResolvedSegment[];
}

export type GraphPathErrorCode = 'SegmentNotFound' | 'InvalidSegment';

export interface GraphPathError {
  ok: false;
  code: GraphPathErrorCode;
  /** The first segment that does not resolve, as written. */
  segment: string;
  index: number;
  message: string;
}

export interface ResolveOptions {
  model?: CsdlModel;
  /**
   * Route templates write keys as placeholders (`{id}`, `:id`). With this set, a literal segment is never
   * taken as a key, so a misspelt action such as `/teams/{id}/archiv` is reported instead of read as a key.
   */
  keysMustBePlaceholders?: boolean;
}

interface Cursor {
  type: string | null;
  isCollection: boolean;
  kind: ResultKind;
  /** The previous segment was a navigation property (so `$ref` may follow). */
  afterNavigation: boolean;
  /** No further segment may follow (after an action, a non-composable function, `$count`, `$ref`, `$value`). */
  terminal: boolean;
  operation?: CsdlOperation;
}

class Fail extends Error {
  constructor(
    readonly code: GraphPathErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const SERVICE_SEGMENTS = new Set(['$metadata', '$batch']);

export function resolveGraphPath(path: string, options: ResolveOptions = {}): ResolvedGraphPath | GraphPathError {
  const model = options.model ?? loadGraphCsdl();
  let rawSegments: string[];
  try {
    rawSegments = splitPath(path);
  } catch (e) {
    return fail('InvalidSegment', (e as SegmentSyntaxError).segment ?? path, 0, (e as Error).message);
  }
  if (rawSegments.length === 0) return fail('InvalidSegment', '', 0, 'Empty path');
  const segments: ResolvedSegment[] = [];
  let cursor: Cursor | undefined;

  for (let index = 0; index < rawSegments.length; index++) {
    const raw = rawSegments[index]!;
    try {
      if (cursor?.terminal) throw new Fail('InvalidSegment', `Nothing can follow '${rawSegments[index - 1]}'`);
      const segment = parseSegment(raw);
      cursor = cursor
        ? step(model, cursor, segment, options, segments)
        : first(model, segment, segments, rawSegments.length);
    } catch (e) {
      if (e instanceof Fail) return fail(e.code, raw, index, e.message);
      if (e instanceof SegmentSyntaxError) return fail('InvalidSegment', raw, index, e.message);
      throw e;
    }
  }
  const end = cursor!;
  return {
    ok: true,
    type: end.type,
    isCollection: end.isCollection,
    kind: end.kind,
    operation: end.operation,
    segments,
  };
}

function fail(code: GraphPathErrorCode, segment: string, index: number, message: string): GraphPathError {
  return { ok: false, code, segment, index, message };
}

function first(model: CsdlModel, segment: ParsedSegment, out: ResolvedSegment[], total: number): Cursor {
  if (SERVICE_SEGMENTS.has(segment.name)) {
    if (total > 1) throw new Fail('InvalidSegment', `'${segment.name}' takes no further segments`);
    out.push({ segment: segment.raw, as: 'service', type: null, isCollection: false });
    return { type: null, isCollection: false, kind: 'service', afterNavigation: false, terminal: true };
  }
  const child = model.container.get(segment.name);
  if (!child)
    throw new Fail('SegmentNotFound', `'${segment.name}' is not an entity set or singleton of Microsoft Graph v1.0`);
  const isCollection = child.kind === 'entitySet';
  out.push({ segment: segment.raw, as: child.kind, type: child.type, isCollection });
  const cursor: Cursor = { type: child.type, isCollection, kind: 'entity', afterNavigation: false, terminal: false };
  return segment.args ? applyKeyPredicate(model, cursor, segment, out) : cursor;
}

function step(
  model: CsdlModel,
  cursor: Cursor,
  segment: ParsedSegment,
  options: ResolveOptions,
  out: ResolvedSegment[],
): Cursor {
  const push = (as: ResolvedSegment['as'], next: Cursor): Cursor => {
    out.push({ segment: segment.raw, as, type: next.type, isCollection: next.isCollection });
    return next;
  };
  const type = cursor.type;
  if (segment.name === '$count' && !segment.args) {
    if (!cursor.isCollection) throw new Fail('InvalidSegment', "'$count' applies only to a collection");
    return push('$count', {
      type: 'Edm.Int32',
      isCollection: false,
      kind: 'count',
      afterNavigation: false,
      terminal: true,
    });
  }
  if (segment.name === '$ref' && !segment.args) {
    if (
      !cursor.afterNavigation &&
      !(cursor.kind === 'entity' && out[out.length - 1]?.as === 'key' && out[out.length - 2]?.as === 'navigation')
    ) {
      throw new Fail('InvalidSegment', "'$ref' must follow a navigation property");
    }
    return push('$ref', {
      type,
      isCollection: cursor.isCollection,
      kind: 'ref',
      afterNavigation: false,
      terminal: true,
    });
  }
  if (segment.name === '$value' && !segment.args) {
    const streamOk =
      (cursor.kind === 'entity' && !cursor.isCollection && type !== null && model.hasStream(type)) ||
      cursor.kind === 'primitive';
    if (!streamOk || cursor.isCollection)
      throw new Fail('InvalidSegment', "'$value' needs a media entity or a primitive property");
    return push('$value', {
      type: 'Edm.Stream',
      isCollection: false,
      kind: 'value',
      afterNavigation: false,
      terminal: true,
    });
  }
  if (type === null || cursor.kind === 'enum' || cursor.kind === 'primitive') {
    throw new Fail('SegmentNotFound', `'${segment.name}' cannot follow a ${cursor.kind} value`);
  }

  const cast = castTarget(model, type, segment.name);
  if (cast) {
    if (segment.args) throw new Fail('InvalidSegment', `A type cast takes no arguments`);
    return push('cast', { ...cursor, type: cast, afterNavigation: false });
  }

  const operation = findBoundOperation(model, type, cursor.isCollection, segment.name);
  if (operation) return push(operation.kind, applyOperation(model, operation, segment));

  if (cursor.isCollection) {
    if (cursor.kind !== 'entity')
      throw new Fail('SegmentNotFound', `'${segment.name}' does not exist on a collection of ${type}`);
    if (options.keysMustBePlaceholders && !segment.isPlaceholder) {
      throw new Fail(
        'SegmentNotFound',
        `'${segment.name}' is not a bound operation or type cast on Collection(${type}), and only placeholders ` +
          `may stand for keys`,
      );
    }
    if (segment.args) throw new Fail('InvalidSegment', `A key segment takes no arguments`);
    return push('key', { type, isCollection: false, kind: 'entity', afterNavigation: false, terminal: false });
  }

  const navigation = model.findNavigationProperty(type, segment.name);
  if (navigation) {
    const next: Cursor = {
      type: navigation.type.name,
      isCollection: navigation.type.isCollection,
      kind: 'entity',
      afterNavigation: true,
      terminal: false,
    };
    out.push({ segment: segment.raw, as: 'navigation', type: next.type, isCollection: next.isCollection });
    return segment.args ? applyKeyPredicate(model, next, segment, out) : next;
  }
  const property = model.findProperty(type, segment.name);
  if (property) {
    if (segment.args) throw new Fail('InvalidSegment', `Property '${segment.name}' takes no arguments`);
    return push('property', {
      type: property.type.name,
      isCollection: property.type.isCollection,
      kind: kindOf(model, property.type.name),
      afterNavigation: false,
      terminal: false,
    });
  }
  throw new Fail(
    'SegmentNotFound',
    `'${segment.name}' is not a property, navigation property, type cast or bound operation of ${type}`,
  );
}

/** `users('x')`, `users(id='x')`, `directoryRoles(roleTemplateId='…')` (alternate keys per Core.AlternateKeys). */
function applyKeyPredicate(model: CsdlModel, cursor: Cursor, segment: ParsedSegment, out: ResolvedSegment[]): Cursor {
  if (!cursor.isCollection || cursor.type === null)
    throw new Fail('InvalidSegment', `'${segment.name}' is not a collection, so it takes no key`);
  const args = segment.args!;
  if (args.positional === undefined) {
    const { key, alternateKeys } = model.keyNames(cursor.type);
    const given = [...args.named.keys()].sort().join(',');
    const accepted = [key, ...alternateKeys].map((k) => [...k].sort().join(','));
    if (!accepted.includes(given)) {
      throw new Fail('InvalidSegment', `'${given}' is not a key of ${cursor.type} (keys: ${accepted.join(' | ')})`);
    }
  }
  out.push({ segment: segment.raw, as: 'key', type: cursor.type, isCollection: false });
  return { type: cursor.type, isCollection: false, kind: 'entity', afterNavigation: false, terminal: false };
}

function castTarget(model: CsdlModel, current: string, name: string): string | undefined {
  if (name.indexOf('.') === -1) return undefined;
  const target = model.structuredType(name);
  if (!target) return undefined;
  return model.isSameOrDerivedFrom(target.fullName, current) ? target.fullName : undefined;
}

/** Finds the action/function bound to `type` (or a base of it); a qualified name must match the namespace. */
export function findBoundOperation(
  model: CsdlModel,
  type: string,
  isCollection: boolean,
  name: string,
): CsdlOperation | undefined {
  const dot = name.lastIndexOf('.');
  const shortName = dot === -1 ? name : name.slice(dot + 1);
  const namespace = dot === -1 ? undefined : name.slice(0, dot);
  if (namespace !== undefined && !model.namespaces.has(namespace)) return undefined;
  const candidates = (model.operationsByName.get(shortName) ?? []).filter(
    (op) =>
      op.isBound &&
      op.bindingParameter &&
      op.bindingParameter.type.isCollection === isCollection &&
      (namespace === undefined || op.namespace === namespace),
  );
  // Most specific binding wins: walk from the type itself towards its bases.
  for (const t of model.baseChain(type)) {
    const match = candidates.find((op) => op.bindingParameter!.type.name === t.fullName);
    if (match) return match;
  }
  return undefined;
}

function applyOperation(model: CsdlModel, operation: CsdlOperation, segment: ParsedSegment): Cursor {
  if (operation.kind === 'action' && segment.args)
    throw new Fail('InvalidSegment', `Action '${operation.fullName}' is invoked without parentheses`);
  if (operation.kind === 'function') checkFunctionArguments(operation, segment);
  const ret = operation.returnType;
  if (!ret) return { type: null, isCollection: false, kind: 'none', afterNavigation: false, terminal: true, operation };
  const kind = kindOf(model, ret.name);
  // Composable functions returning entities can be navigated further (e.g. `…/getByIds(...)/…`).
  const terminal = !(operation.kind === 'function' && operation.isComposable && kind === 'entity');
  return { type: ret.name, isCollection: ret.isCollection, kind, afterNavigation: false, terminal, operation };
}

function checkFunctionArguments(operation: CsdlOperation, segment: ParsedSegment): void {
  const named = segment.args?.named ?? new Map<string, string>();
  if (segment.args?.positional !== undefined && segment.args.positional !== '') {
    throw new Fail('InvalidSegment', `Function '${operation.name}' takes named parameters (name=value)`);
  }
  for (const argName of named.keys()) {
    if (!operation.parameters.some((p) => p.name === argName)) {
      throw new Fail('InvalidSegment', `Function '${operation.fullName}' has no parameter '${argName}'`);
    }
  }
  for (const p of operation.parameters) {
    if (!p.nullable && !named.has(p.name))
      throw new Fail('InvalidSegment', `Function '${operation.fullName}' needs parameter '${p.name}'`);
  }
}

export function kindOf(model: CsdlModel, typeName: string): ResultKind {
  if (model.enumTypes.has(typeName)) return 'enum';
  const structured = model.structuredType(typeName);
  if (structured) return structured.kind;
  return 'primitive';
}

/** Which HTTP methods a resolved path accepts in OData (the route table's method must be one of them). */
export function allowedMethods(resolved: ResolvedGraphPath): string[] {
  const last = resolved.segments[resolved.segments.length - 1];
  switch (last?.as) {
    case 'action':
      return ['POST'];
    case 'function':
    case '$count':
      return ['GET'];
    case '$ref':
      return resolved.isCollection ? ['GET', 'POST'] : ['GET', 'PUT', 'DELETE'];
    case '$value':
      return ['GET', 'PUT'];
    case 'service':
      return last.segment === '$batch' ? ['POST'] : ['GET'];
    case 'property':
      return ['GET', 'PUT', 'PATCH', 'DELETE'];
    default:
      return resolved.isCollection ? ['GET', 'POST'] : ['GET', 'PATCH', 'PUT', 'DELETE'];
  }
}
