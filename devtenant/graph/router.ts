// Path templates → matchers. Graph path segments are case-insensitive; `users('key')` is the same as `users/key`.
import type { GraphVersion, HttpMethod, RouteDefinition } from './route.js';
import { GraphError, segmentNotFound } from './errors.js';

const SYSTEM_SEGMENTS = new Set(['$count', '$ref', '$batch', '$value', '$metadata']);

type SegmentMatcher =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string }
  | { kind: 'pattern'; regex: RegExp; names: string[] };

export interface CompiledRoute {
  def: RouteDefinition;
  versions: readonly GraphVersion[];
  segments: SegmentMatcher[];
  score: number[];
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileTemplate(path: string): SegmentMatcher[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((seg): SegmentMatcher => {
      const whole = /^\{(\w+)\}$/.exec(seg);
      if (whole) return { kind: 'param', name: whole[1] };
      if (!seg.includes('{')) return { kind: 'literal', text: seg.toLowerCase() };
      const names: string[] = [];
      const source = seg
        .split(/(\{\w+\})/)
        .map((part) => {
          const m = /^\{(\w+)\}$/.exec(part);
          if (m) {
            names.push(m[1]);
            return "((?:[^']|'')*)";
          }
          return escapeRegex(part);
        })
        .join('');
      return { kind: 'pattern', regex: new RegExp(`^${source}$`, 'i'), names };
    });
}

export function compileRoute(def: RouteDefinition): CompiledRoute {
  const segments = compileTemplate(def.path);
  return {
    def,
    versions: def.versions ?? ['v1.0', 'beta'],
    segments,
    score: segments.map((s) => (s.kind === 'literal' ? 2 : s.kind === 'pattern' ? 1 : 0)),
  };
}

/** Splits the path below the version into decoded segments, expanding `name('key')` into `name`, `key`. */
export function splitPath(rawPath: string): string[] {
  const out: string[] = [];
  for (const raw of rawPath.split('/')) {
    if (!raw) continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw new GraphError(400, 'BadRequest', 'The request URI is not valid.');
    }
    const keyed = /^([A-Za-z][\w.]*)\('((?:[^']|'')*)'\)$/.exec(seg);
    if (keyed) {
      out.push(keyed[1], keyed[2].replace(/''/g, "'"));
      continue;
    }
    // A bare key starting with '$' (e.g. a UPN) must be written users('$…'), as on Graph.
    if (seg.startsWith('$') && !SYSTEM_SEGMENTS.has(seg)) throw segmentNotFound(seg);
    out.push(seg);
  }
  return out;
}

function matchSegments(matchers: SegmentMatcher[], segments: string[], count: number): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const m = matchers[i];
    const seg = segments[i];
    if (m.kind === 'literal') {
      if (m.text !== seg.toLowerCase()) return null;
    } else if (m.kind === 'param') {
      params[m.name] = seg;
    } else {
      const r = m.regex.exec(seg);
      if (!r) return null;
      m.names.forEach((n, j) => {
        params[n] = r[j + 1].replace(/''/g, "'");
      });
    }
  }
  return params;
}

const better = (a: number[], b: number[]) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
};

export interface RouteMatch {
  route: CompiledRoute;
  params: Record<string, string>;
  countSegment: boolean;
}

/** Finds the route, or throws Graph's 400 for an unknown segment / 405 for a known path with another method. */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: HttpMethod,
  version: GraphVersion,
  segments: string[],
): RouteMatch {
  const find = (segs: string[], wantMethod: HttpMethod | null) => {
    let best: { route: CompiledRoute; params: Record<string, string> } | null = null;
    for (const route of routes) {
      if (route.segments.length !== segs.length || !route.versions.includes(version)) continue;
      if (wantMethod && route.def.method !== wantMethod) continue;
      const params = matchSegments(route.segments, segs, segs.length);
      if (params && (!best || better(route.score, best.route.score))) best = { route, params };
    }
    return best;
  };
  // `$count` is never a key: try it as the count segment of a countable collection first.
  if (method === 'GET' && segments.at(-1) === '$count') {
    const base = find(segments.slice(0, -1), 'GET');
    if (base?.route.def.countable) return { ...base, countSegment: true };
  }
  const exact = find(segments, method);
  if (exact) return { ...exact, countSegment: false };
  if (find(segments, null))
    throw new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request uri.');
  // Name the first segment no route explains, as Graph does.
  let depth = 0;
  for (const route of routes) {
    if (!route.versions.includes(version)) continue;
    for (let n = Math.min(route.segments.length, segments.length); n > depth; n--) {
      if (matchSegments(route.segments, segments, n)) {
        depth = n;
        break;
      }
    }
  }
  throw segmentNotFound(segments[depth] ?? '');
}
