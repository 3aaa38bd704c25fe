// The table every route file registers into; server.ts dispatches from it and the conformance test walks it.
import type { RouteDefinition } from '../route.js';
import { compileRoute, type CompiledRoute } from '../router.js';

export const compiledRoutes: CompiledRoute[] = [];

/** Public view: one entry per route (method, path template, versions, permissions, roles). */
export const routeTable: RouteDefinition[] = [];

export function registerRoutes(defs: readonly RouteDefinition[]): void {
  for (const def of defs) {
    const compiled = compileRoute(def);
    const versions = compiled.versions;
    const clash = compiledRoutes.find(
      (r) =>
        r.def.method === def.method &&
        r.def.path.toLowerCase() === def.path.toLowerCase() &&
        r.versions.some((v) => versions.includes(v)),
    );
    if (clash) throw new Error(`Duplicate Graph route ${def.method} ${def.path}`);
    compiledRoutes.push(compiled);
    routeTable.push({ ...def, versions });
  }
}
