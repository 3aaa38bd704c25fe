/**
 * Builds a CsdlModel from CSDL XML. Only what path resolution and payload validation need is indexed:
 * schemas (namespace + alias), enum/complex/entity types, type definitions, actions/functions, the entity
 * container, and the Core.AlternateKeys annotation. Everything else (vocabulary annotations) is skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CsdlModel,
  type CsdlEnumType,
  type CsdlOperation,
  type CsdlParameter,
  type CsdlStructuredType,
  type TypeRef,
} from './model.js';
import { parseXml } from './xml.js';

/**
 * Microsoft Graph's published v1.0 metadata: $GRAPH_CSDL_PATH, else `shared/` beside the repository (as CI clones it),
 * else the workstation copy.
 */
function findGraphCsdl(): string {
  if (process.env.GRAPH_CSDL_PATH) return process.env.GRAPH_CSDL_PATH;
  const beside = fileURLToPath(new URL('../../../../shared/graph/v1.0.csdl', import.meta.url));
  return existsSync(beside) ? beside : '/work/shared/graph/v1.0.csdl';
}
export const GRAPH_V1_CSDL_PATH = findGraphCsdl();

export class CsdlLoadError extends Error {
  readonly code = 'CSDL_LOAD';
  constructor(message: string) {
    super(message);
    this.name = 'CsdlLoadError';
  }
}

const ALTERNATE_KEYS_TERM = 'Org.OData.Core.V1.AlternateKeys';

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

function parseTypeRef(raw: string): TypeRef {
  if (raw.startsWith('Collection(') && raw.endsWith(')')) {
    return { name: raw.slice('Collection('.length, -1), isCollection: true };
  }
  return { name: raw, isCollection: false };
}

/** Mutable parse state: what we are inside of right now. */
interface LoaderState {
  namespace: string;
  structured?: CsdlStructuredType;
  enumType?: CsdlEnumType;
  operation?: CsdlOperation;
  inContainer: boolean;
  inKey: boolean;
  /** Depth counter while inside an AlternateKeys annotation; the current key being collected. */
  alternateKeysOwner?: CsdlStructuredType;
  alternateKeysDepth: number;
  currentAlternateKey?: string[];
  /** Target type of an external `<Annotations Target="...">` block. */
  annotationsTarget?: string;
}

export function buildCsdlModel(xml: string): CsdlModel {
  const model = new CsdlModel();
  const aliases = new Map<string, string>();
  const state: LoaderState = { namespace: '', inContainer: false, inKey: false, alternateKeysDepth: 0 };
  const qualifiedName = (name: string): string => `${state.namespace}.${name}`;
  // External `<Annotations Target=...>` can name a type declared later, so they collect here until finalize().
  const pendingAnnotationTargets = new Map<string, { alternateKeys: string[][] }>();
  const pendingTarget = (target: string): CsdlStructuredType => {
    const placeholder = pendingAnnotationTargets.get(target) ?? { alternateKeys: [] as string[][] };
    pendingAnnotationTargets.set(target, placeholder);
    return placeholder as CsdlStructuredType;
  };

  parseXml(xml, {
    onOpen(rawName, a) {
      const name = localName(rawName);
      if (state.alternateKeysOwner) {
        state.alternateKeysDepth++;
        if (name === 'Record' && a.Type === 'Org.OData.Core.V1.AlternateKey') {
          state.currentAlternateKey = [];
          state.alternateKeysOwner.alternateKeys.push(state.currentAlternateKey);
        } else if (name === 'PropertyValue' && a.Property === 'Name' && a.PropertyPath && state.currentAlternateKey) {
          state.currentAlternateKey.push(a.PropertyPath);
        }
        return;
      }
      switch (name) {
        case 'Schema':
          state.namespace = required(a, 'Namespace', name);
          model.namespaces.add(state.namespace);
          if (a.Alias) aliases.set(a.Alias, state.namespace);
          break;
        case 'EntityType':
        case 'ComplexType':
          state.structured = {
            kind: name === 'EntityType' ? 'entity' : 'complex',
            fullName: qualifiedName(required(a, 'Name', name)),
            baseType: a.BaseType,
            abstract: a.Abstract === 'true',
            openType: a.OpenType === 'true',
            hasStream: a.HasStream === 'true',
            properties: new Map(),
            navigationProperties: new Map(),
            key: [],
            alternateKeys: [],
          };
          model.structuredTypes.set(state.structured.fullName, state.structured);
          break;
        case 'Key':
          state.inKey = true;
          break;
        case 'PropertyRef':
          if (state.inKey && state.structured) state.structured.key.push(required(a, 'Name', name));
          break;
        case 'Property':
        case 'NavigationProperty': {
          if (!state.structured) break;
          const propertyName = required(a, 'Name', name);
          const type = parseTypeRef(required(a, 'Type', name));
          if (name === 'Property') {
            state.structured.properties.set(propertyName, {
              name: propertyName,
              type,
              nullable: a.Nullable !== 'false',
            });
          } else {
            state.structured.navigationProperties.set(propertyName, {
              name: propertyName,
              type,
              nullable: a.Nullable !== 'false',
              containsTarget: a.ContainsTarget === 'true',
            });
          }
          break;
        }
        case 'EnumType':
          state.enumType = {
            fullName: qualifiedName(required(a, 'Name', name)),
            isFlags: a.IsFlags === 'true',
            members: [],
          };
          model.enumTypes.set(state.enumType.fullName, state.enumType);
          break;
        case 'Member':
          state.enumType?.members.push(required(a, 'Name', name));
          break;
        case 'TypeDefinition':
          model.typeDefinitions.set(qualifiedName(required(a, 'Name', name)), required(a, 'UnderlyingType', name));
          break;
        case 'Action':
        case 'Function': {
          const operationName = required(a, 'Name', name);
          state.operation = {
            kind: name === 'Action' ? 'action' : 'function',
            namespace: state.namespace,
            name: operationName,
            fullName: qualifiedName(operationName),
            isBound: a.IsBound === 'true',
            isComposable: a.IsComposable === 'true',
            parameters: [],
          };
          const overloads = model.operationsByName.get(operationName) ?? [];
          overloads.push(state.operation);
          model.operationsByName.set(operationName, overloads);
          break;
        }
        case 'Parameter': {
          if (!state.operation) break;
          const parameter: CsdlParameter = {
            name: required(a, 'Name', name),
            type: parseTypeRef(required(a, 'Type', name)),
            nullable: a.Nullable !== 'false',
          };
          if (state.operation.isBound && !state.operation.bindingParameter)
            state.operation.bindingParameter = parameter;
          else state.operation.parameters.push(parameter);
          break;
        }
        case 'ReturnType':
          if (state.operation) {
            state.operation.returnType = {
              ...parseTypeRef(required(a, 'Type', name)),
              nullable: a.Nullable !== 'false',
            };
          }
          break;
        case 'EntityContainer':
          state.inContainer = true;
          break;
        case 'EntitySet':
        case 'Singleton':
          if (state.inContainer) {
            const childName = required(a, 'Name', name);
            model.container.set(childName, {
              kind: name === 'EntitySet' ? 'entitySet' : 'singleton',
              name: childName,
              type: required(a, name === 'EntitySet' ? 'EntityType' : 'Type', name),
            });
          }
          break;
        case 'Annotations':
          state.annotationsTarget = a.Target;
          break;
        case 'Annotation':
          if (a.Term === ALTERNATE_KEYS_TERM) {
            const owner =
              state.structured ?? (state.annotationsTarget ? pendingTarget(state.annotationsTarget) : undefined);
            if (owner) {
              state.alternateKeysOwner = owner;
              state.alternateKeysDepth = 0;
            }
          }
          break;
        default:
          break;
      }
    },
    onClose(rawName) {
      const name = localName(rawName);
      if (state.alternateKeysOwner) {
        if (state.alternateKeysDepth === 0) {
          state.alternateKeysOwner = undefined;
          state.currentAlternateKey = undefined;
        } else {
          state.alternateKeysDepth--;
        }
        return;
      }
      if (name === 'EntityType' || name === 'ComplexType') state.structured = undefined;
      else if (name === 'EnumType') state.enumType = undefined;
      else if (name === 'Action' || name === 'Function') state.operation = undefined;
      else if (name === 'Key') state.inKey = false;
      else if (name === 'EntityContainer') state.inContainer = false;
      else if (name === 'Annotations') state.annotationsTarget = undefined;
    },
  });

  finalize(model, aliases, pendingAnnotationTargets);
  return model;
}

function required(attributes: Record<string, string>, attribute: string, element: string): string {
  const value = attributes[attribute];
  if (value === undefined) throw new CsdlLoadError(`<${element}> without ${attribute}`);
  return value;
}

/** Resolves aliases everywhere and builds the derived-type index. */
function finalize(
  model: CsdlModel,
  aliases: Map<string, string>,
  pending: Map<string, { alternateKeys: string[][] }>,
): void {
  const qualify = (name: string): string => {
    const dot = name.lastIndexOf('.');
    if (dot === -1) return name;
    const prefix = name.slice(0, dot);
    const namespace = aliases.get(prefix);
    return namespace ? `${namespace}.${name.slice(dot + 1)}` : name;
  };
  const qualifyRef = (ref: TypeRef): void => {
    ref.name = qualify(ref.name);
  };

  for (const type of model.structuredTypes.values()) {
    if (type.baseType) {
      type.baseType = qualify(type.baseType);
      const siblings = model.derivedTypes.get(type.baseType) ?? [];
      siblings.push(type.fullName);
      model.derivedTypes.set(type.baseType, siblings);
    }
    for (const p of type.properties.values()) qualifyRef(p.type);
    for (const p of type.navigationProperties.values()) qualifyRef(p.type);
  }
  for (const [name, underlying] of model.typeDefinitions) model.typeDefinitions.set(name, qualify(underlying));
  for (const overloads of model.operationsByName.values()) {
    for (const op of overloads) {
      if (op.bindingParameter) qualifyRef(op.bindingParameter.type);
      for (const p of op.parameters) qualifyRef(p.type);
      if (op.returnType) qualifyRef(op.returnType);
    }
  }
  for (const child of model.container.values()) child.type = qualify(child.type);
  for (const [target, annotations] of pending) {
    model.structuredTypes.get(qualify(target))?.alternateKeys.push(...annotations.alternateKeys);
  }
}

let cachedGraphModel: CsdlModel | undefined;

/** Loads (once per process) and indexes Microsoft Graph's v1.0 CSDL. */
export function loadGraphCsdl(path: string = GRAPH_V1_CSDL_PATH): CsdlModel {
  if (path !== GRAPH_V1_CSDL_PATH) return buildCsdlModel(readFileSync(path, 'utf8'));
  cachedGraphModel ??= buildCsdlModel(readFileSync(path, 'utf8'));
  return cachedGraphModel;
}
