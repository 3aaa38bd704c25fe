// `npm run app-package` — regenerates appPackage/ (manifest + icons), infra/entra/aad.manifest.json and
// .m365agentsplayground.yml from the command registry and the devtenant seed.
// `npm run app-package -- --check` only reports files that are out of date (exit 1), writing nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { driftedFiles, generatedFiles } from './app-package/generated-files.js';

const root = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  ...(import.meta.url.includes('/dist/') ? ['..'] : []),
);
const check = process.argv.includes('--check');

const files = await generatedFiles();
const drifted = driftedFiles(root, files);
if (check) {
  if (drifted.length > 0) {
    console.error(`Out of date (run npm run app-package): ${drifted.join(', ')}`);
    process.exit(1);
  }
  console.log('App package, Entra manifest and Playground config are up to date.');
} else {
  for (const file of files.filter((f) => drifted.includes(f.path))) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.content);
    console.log(`wrote ${file.path}`);
  }
  if (drifted.length === 0) console.log('Nothing to do: everything is up to date.');
}
