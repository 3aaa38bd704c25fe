// Every file derived from code (the command registry, the devtenant seed): the Teams app package, the Entra app
// manifest and the Playground's mock tenant. `npm run app-package` writes them; a test fails when the committed
// copies differ, so adding a command without regenerating is caught.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../demo/stack.js';
import { CommandRegistry } from '../../bot/commands/registry.js';
import { PLAYGROUND_CONFIG_FILE, renderPlaygroundConfig } from '../demo/playground-config.js';
import { buildEntraManifest, delegatedGraphPermissions } from './entra-manifest.js';
import { colorIcon, outlineIcon } from './icons.js';
import { APP_IDENTITY, buildTeamsManifest } from './teams-manifest.js';

export const TEAMS_MANIFEST_PATH = 'appPackage/manifest.json';
export const ENTRA_MANIFEST_PATH = 'infra/entra/aad.manifest.json';

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  content: Buffer;
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

const README_BLOCK = /(<!-- graph-permissions:start -->\n)[\s\S]*?( *<!-- graph-permissions:end -->)/;

/** The README's list of Graph permissions to consent (between its markers), so the docs cannot drift either. */
export function readmeWithPermissions(readme: string, permissions: string[]): string {
  if (!README_BLOCK.test(readme)) throw new Error('README.md lost its graph-permissions markers');
  const indent = '   ';
  return readme.replace(
    README_BLOCK,
    (_, start: string, end: string) => `${start}${indent}${permissions.map((p) => `\`${p}\``).join(', ')}\n${end}`,
  );
}

export async function generatedFiles(registry?: CommandRegistry, root = REPO_ROOT): Promise<GeneratedFile[]> {
  const commands = (registry ?? (await CommandRegistry.discover())).all();
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [
    { path: 'README.md', content: Buffer.from(readmeWithPermissions(readme, delegatedGraphPermissions(commands))) },
    { path: TEAMS_MANIFEST_PATH, content: json(buildTeamsManifest(commands)) },
    { path: 'appPackage/color.png', content: colorIcon(APP_IDENTITY.accentColor) },
    { path: 'appPackage/outline.png', content: outlineIcon() },
    { path: ENTRA_MANIFEST_PATH, content: json(buildEntraManifest(commands)) },
    { path: PLAYGROUND_CONFIG_FILE, content: Buffer.from(renderPlaygroundConfig()) },
  ];
}

/** Paths whose committed content differs from what the generators make now. */
export function driftedFiles(root: string, files: GeneratedFile[]): string[] {
  return files
    .filter((file) => {
      try {
        return !readFileSync(`${root}/${file.path}`).equals(file.content);
      } catch {
        return true;
      }
    })
    .map((file) => file.path);
}
