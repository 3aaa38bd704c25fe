/**
 * The in-memory index of a CSDL document: every type name is fully qualified (aliases such as `graph.` or
 * `teamsAdministration.` are resolved at load time), so lookups are plain map reads.
 */

export interface TypeRef {
  /** Fully qualified: `Edm.String`, `microsoft.graph.user`, `microsoft.graph.teamsAdministration.numberType`. */
  name: string;
  isCollection: boolean;
}

export interface CsdlProperty {
  name: string;
  type: TypeRef;
  /** CSDL default is true; for collections it applies to the items (a collection itself is never null). */
  nullable: boolean;
}

export interface CsdlNavigationProperty extends CsdlProperty {
  containsTarget: boolean;
}

export interface CsdlStructuredType {
  kind: 'entity' | 'complex';
  fullName: string;
  baseType?: string;
  abstract: boolean;
  openType: boolean;
  hasStream: boolean;
  /** Declared on this type only (not inherited). */
  properties: Map<string, CsdlProperty>;
  navigationProperties: Map<string, CsdlNavigationProperty>;
  /** Entity key property names (declared on this type; inherited keys come from the base). */
  key: string[];
  /** Org.OData.Core.V1.AlternateKeys: each entry is one (possibly composite) alternate key. */
  alternateKeys: string[][];
}

export interface CsdlEnumType {
  fullName: string;
  isFlags: boolean;
  /** In declaration order; members after `unknownFutureValue` are "evolvable" (see validate.ts). */
  members: string[];
}

export interface CsdlParameter {
  name: string;
  type: TypeRef;
  nullable: boolean;
}

export interface CsdlOperation {
  kind: 'action' | 'function';
  namespace: string;
  name: string;
  fullName: string;
  isBound: boolean;
  isComposable: boolean;
  /** The binding parameter (first parameter) when bound. */
  bindingParameter?: CsdlParameter;
  /** Non-binding parameters. */
  parameters: CsdlParameter[];
  returnType?: TypeRef & { nullable: boolean };
}

export interface CsdlContainerChild {
  kind: 'entitySet' | 'singleton';
  name: string;
  type: string;
}

export class CsdlModel {
  readonly structuredTypes = new Map<string, CsdlStructuredType>();
  readonly enumTypes = new Map<string, CsdlEnumType>();
  /** TypeDefinition name → underlying primitive type. */
  readonly typeDefinitions = new Map<string, string>();
  /** Operations by unqualified name (several overloads share a name, e.g. `archive`). */
  readonly operationsByName = new Map<string, CsdlOperation[]>();
  readonly container = new Map<string, CsdlContainerChild>();
  /** base type full name → direct derived type full names. */
  readonly derivedTypes = new Map<string, string[]>();
  readonly namespaces = new Set<string>();

  structuredType(name: string): CsdlStructuredType | undefined {
    return this.structuredTypes.get(name);
  }

  /** This type followed by its base types, most derived first. */
  *baseChain(name: string): Generator<CsdlStructuredType> {
    let current = this.structuredTypes.get(name);
    while (current) {
      yield current;
      current = current.baseType ? this.structuredTypes.get(current.baseType) : undefined;
    }
  }

  isSameOrDerivedFrom(name: string, base: string): boolean {
    for (const t of this.baseChain(name)) if (t.fullName === base) return true;
    return false;
  }

  findProperty(typeName: string, propertyName: string): CsdlProperty | undefined {
    for (const t of this.baseChain(typeName)) {
      const p = t.properties.get(propertyName);
      if (p) return p;
    }
    return undefined;
  }

  findNavigationProperty(typeName: string, propertyName: string): CsdlNavigationProperty | undefined {
    for (const t of this.baseChain(typeName)) {
      const p = t.navigationProperties.get(propertyName);
      if (p) return p;
    }
    return undefined;
  }

  /** Key names plus every alternate key, inherited ones included. */
  keyNames(typeName: string): { key: string[]; alternateKeys: string[][] } {
    let key: string[] = [];
    const alternateKeys: string[][] = [];
    for (const t of this.baseChain(typeName)) {
      if (key.length === 0 && t.key.length > 0) key = t.key;
      alternateKeys.push(...t.alternateKeys);
    }
    return { key, alternateKeys };
  }

  isAbstract(typeName: string): boolean {
    return this.structuredTypes.get(typeName)?.abstract ?? false;
  }

  /** True if any type in the chain is open (OData: openness is inherited). */
  isOpen(typeName: string): boolean {
    for (const t of this.baseChain(typeName)) if (t.openType) return true;
    return false;
  }

  hasStream(typeName: string): boolean {
    for (const t of this.baseChain(typeName)) if (t.hasStream) return true;
    return false;
  }
}
