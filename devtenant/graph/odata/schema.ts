// Per-entity-type metadata the OData layer needs: selectable properties, which $filter operators each property
// supports (as Graph documents per property), and how to serialise an entity.
import type { RouteContext } from '../route.js';
import { CSDL_SERVED } from '../model/csdl-served.js';

export type PropType =
  'string' | 'boolean' | 'datetime' | 'guid' | 'int' | 'enum' | 'strings' | 'complex' | 'complexes';
/** `ne`, `not` and `endswith` on directory objects are "advanced" (ConsistencyLevel + $count=true). */
export type FilterOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'in' | 'startswith' | 'endswith' | 'any' | 'eqnull';
/** `eqnull`: "and `eq` on `null` values" in Graph's docs — `prop eq null` / `ne null`, an advanced query. */

export interface PropertySpec {
  type: PropType;
  /** Operators allowed in $filter on this property (none = not filterable). */
  filter?: readonly FilterOp[];
  /** For complex / collection-of-complex properties: the nested properties (lambda / path filters). */
  props?: Record<string, PropertySpec>;
  /** For `strings`: operators allowed on the element inside any(). */
  itemFilter?: readonly FilterOp[];
  orderby?: boolean;
  /** Value used by $filter/$orderby when it is not simply entity[name]. */
  get?: (entity: never) => unknown;
}

export interface ExpandContext {
  ctx: RouteContext;
  select: string[] | null;
}

export interface EntitySchema<T> {
  /** e.g. 'microsoft.graph.user' */
  typeName: string;
  /** The CSDL type whose declared properties items really have, when `typeName` is a base (members are users). */
  declaredAs?: string;
  /** e.g. 'User' (used in Request_UnsupportedQuery messages) */
  resourceName: string;
  /** Directory (Entra) object: advanced-query rules apply. */
  directory: boolean;
  properties: Record<string, PropertySpec>;
  /** Returned when there is no $select; default = every property except `selectOnly`. */
  defaultSelect?: readonly string[];
  /** Returned only when $select-ed (e.g. signInActivity). */
  selectOnly?: readonly string[];
  /** $expand-able navigation properties. */
  navigation?: Record<string, (entity: T, e: ExpandContext) => unknown>;
  /** Properties `$search="prop:value"` may name. */
  searchable?: readonly string[];
  /** Full JSON of one entity (all properties); $select picks from it; keys starting with '@odata.' are kept. */
  toJson(entity: T, ctx: RouteContext): Record<string, unknown>;
}

export function propertyValue(schema: EntitySchema<unknown>, entity: unknown, name: string): unknown {
  const spec = schema.properties[name];
  if (spec?.get) return (spec.get as (e: unknown) => unknown)(entity);
  return (entity as Record<string, unknown>)[name];
}

/** Common shapes. */
export const P = {
  str: (filter: readonly FilterOp[] = [], orderby = false): PropertySpec => ({ type: 'string', filter, orderby }),
  bool: (filter: readonly FilterOp[] = []): PropertySpec => ({ type: 'boolean', filter }),
  date: (filter: readonly FilterOp[] = [], orderby = false): PropertySpec => ({ type: 'datetime', filter, orderby }),
  guid: (filter: readonly FilterOp[] = []): PropertySpec => ({ type: 'guid', filter }),
  int: (filter: readonly FilterOp[] = []): PropertySpec => ({ type: 'int', filter }),
  enumeration: (filter: readonly FilterOp[] = []): PropertySpec => ({ type: 'enum', filter }),
  strings: (filter: readonly FilterOp[] = [], itemFilter: readonly FilterOp[] = []): PropertySpec => ({
    type: 'strings',
    filter,
    itemFilter,
  }),
  complex: (props: Record<string, PropertySpec> = {}, filter: readonly FilterOp[] = []): PropertySpec => ({
    type: 'complex',
    props,
    filter,
  }),
  complexes: (props: Record<string, PropertySpec> = {}, filter: readonly FilterOp[] = []): PropertySpec => ({
    type: 'complexes',
    props,
    filter,
  }),
};

export const STRING_EQ: readonly FilterOp[] = ['eq', 'in'];
/** eq/in/startswith plus the advanced ne/endswith, as for most directory string properties. */
export const STRING_DIR: readonly FilterOp[] = ['eq', 'ne', 'in', 'startswith', 'endswith'];
export const BOOL_DIR: readonly FilterOp[] = ['eq', 'ne'];
export const DATE_RANGE: readonly FilterOp[] = ['eq', 'ge', 'le', 'gt', 'lt'];

/** What Microsoft's CSDL declares for a schema's type: every property $select accepts, and what "unset" looks like. */
export interface DeclaredProperties {
  /** Own and inherited structural properties → their value when the stand-in has none (null, or [] for collections). */
  unset: ReadonlyMap<string, null | []>;
  /** Also selectable: properties of derived types (serialised only when an entity has them). */
  derived: ReadonlySet<string>;
}

const declaredCache = new WeakMap<object, DeclaredProperties>();

export function declaredProperties(schema: EntitySchema<unknown>): DeclaredProperties {
  let d = declaredCache.get(schema);
  if (!d) {
    const served = CSDL_SERVED[schema.typeName];
    const own = CSDL_SERVED[schema.declaredAs ?? schema.typeName];
    const unset = new Map<string, null | []>();
    for (const [name, type] of Object.entries(own?.props ?? {}))
      unset.set(name, type.startsWith('Collection(') ? [] : null);
    d = { unset, derived: new Set(served?.derived ?? []) };
    declaredCache.set(schema, d);
  }
  return d;
}

/** A property name $select may name: declared by the CSDL (own, inherited or derived) or served by the schema. */
export function isSelectable(schema: EntitySchema<unknown>, name: string): boolean {
  if (name in schema.properties || (schema.navigation && name in schema.navigation)) return true;
  const d = declaredProperties(schema);
  return d.unset.has(name) || d.derived.has(name);
}
