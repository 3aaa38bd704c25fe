// Summarises the bot's V8 CPU profile (--cpu-prof): self time per function, heaviest first, with the file it lives in.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

export function summarizeProfiles(dir: string, out: URL, top = 40): void {
  if (!existsSync(dir)) return;
  const selfHits = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const paths = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const parent = new Map<number, ProfileNode>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      if (hits === 0) continue;
      total += hits;
      const key = frameName(node);
      // Inclusive time: every distinct frame on the sample's stack (what a whole step costs, callees included).
      const onStack = new Set<string>();
      for (let p: ProfileNode | undefined = node; p; p = parent.get(p.id)) onStack.add(frameName(p));
      for (const frame of onStack) inclusive.set(frame, (inclusive.get(frame) ?? 0) + hits);
      if (!key.startsWith('(idle)')) {
        // Who called it: the nearest callers outside node's internals, so a hot builtin shows whose work it is.
        const chain = [key];
        for (let p = parent.get(node.id); p && chain.length < 6; p = parent.get(p.id)) {
          const name = frameName(byId.get(p.id)!);
          if (!/ node:|^\(root\)|^\(program\)/.test(name)) chain.push(name);
        }
        const path = chain.join('\n        ← ');
        paths.set(path, (paths.get(path) ?? 0) + hits);
      }
      const { functionName, url } = node.callFrame;
      const where = url.replace(/^file:\/\/.*?\/node_modules\//, 'node_modules/').replace(/^file:\/\/.*?\/main\//, '');
      selfHits.set(key, (selfHits.get(key) ?? 0) + hits);
      const pkg =
        /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ??
        (where ? where.split('/')[0]! : functionName || '(native)');
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits);
    }
  }
  const pct = (n: number) => `${((n / Math.max(1, total)) * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    `# bot CPU profile (self time, ${total} samples)`,
    '',
    '## by package / top folder',
    ...[...byPackage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([k, n]) => `${pct(n)}  ${k}`),
    '',
    '## by function',
    ...[...selfHits]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, n]) => `${pct(n)}  ${k}`),
    '',
    '## heaviest call paths (self time, callers outside node internals)',
    ...[...paths]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([k, n]) => `${pct(n)}  ${k}`),
    '',
    '## inclusive time (callees included), frames in bot/ and node_modules/',
    ...[...inclusive]
      .filter(([k]) => /bench-build\/bot\/|(^|\/)bot\/|node_modules\//.test(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 60)
      .map(([k, n]) => `${pct(n)}  ${k}`),
  ];
  mkdirSync(new URL('.', out), { recursive: true });
  writeFileSync(out, `${lines.join('\n')}\n`);
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\/.*?\/node_modules\//, 'node_modules/').replace(/^file:\/\/.*?\/main\//, '');
  return `${functionName || '(anonymous)'}  ${where}:${lineNumber + 1}`;
}
