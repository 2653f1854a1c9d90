#!/usr/bin/env node
// Builds the client SDK for browsers and bundlers from src/client (the one client: the CLI runs the
// same source through tsx):
//   dist/client/ektp-bridge-client.mjs   ESM
//   dist/client/ektp-bridge-client.js    classic script, global `EktpBridge`
//   dist/client/ektp-bridge-client.d.ts  type declarations (with types/ beside it)
// then copies them into packages/client/dist/, the folder `npm pack ./packages/client` packs.
// `--no-types` skips the declarations (tsc takes seconds; `npm start` only needs the scripts).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/client');
const withTypes = !process.argv.includes('--no-types');
const version = JSON.parse(readFileSync(join(root, 'packages/client/package.json'), 'utf8')).version;
const banner = `/*! @ektp-bridge/client ${version} — client SDK for the ektp-bridge API v1 */`;

mkdirSync(out, { recursive: true });
const common = {
  entryPoints: [join(root, 'src/client/index.ts')],
  bundle: true,
  // browsers the counters run (Chrome/Edge with Local Network Access) and Node 20+
  target: ['chrome110', 'edge110', 'firefox115', 'safari16', 'node20'],
  platform: 'neutral',
  sourcemap: true,
  legalComments: 'inline',
  banner: { js: banner },
  logLevel: 'warning',
  write: false,
};
const outputs = await Promise.all([
  build({ ...common, format: 'esm', outfile: join(out, 'ektp-bridge-client.mjs') }),
  build({ ...common, format: 'iife', globalName: 'EktpBridge', outfile: join(out, 'ektp-bridge-client.js') }),
]);
// Written whole and renamed, so a daemon or a test reading the files never sees half of one.
for (const result of outputs) {
  for (const file of result.outputFiles) {
    const text = file.text;
    if (/\brequire\(|from ?["']node:/.test(text)) throw new Error(`${file.path}: Node-only code in the browser build`);
    writeFileSync(`${file.path}.${process.pid}.tmp`, text);
    renameSync(`${file.path}.${process.pid}.tmp`, file.path);
  }
}

if (withTypes) {
  const types = join(out, 'types');
  rmSync(types, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'packages/client/tsconfig.types.json')],
    { stdio: 'inherit' },
  );
  writeFileSync(join(out, 'ektp-bridge-client.d.ts'), "export * from './types/src/client/index.js';\n");
  // The repository imports with .ts extensions; published declarations must name .js files.
  rewriteTsSpecifiers(types);
}

const pkgDist = join(root, 'packages/client/dist');
rmSync(pkgDist, { recursive: true, force: true });
cpSync(out, pkgDist, { recursive: true });
console.error(`build-client: ${out} (${withTypes ? 'with' : 'without'} declarations), copied to packages/client/dist`);

function rewriteTsSpecifiers(dir) {
  for (const entry of readdirSyncRecursive(dir)) {
    if (!entry.endsWith('.d.ts')) continue;
    const text = readFileSync(entry, 'utf8').replace(/(from\s+['"]\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1.js$2');
    writeFileSync(entry, text);
  }
}

function readdirSyncRecursive(dir) {
  return execFileSync('find', [dir, '-type', 'f'], { encoding: 'utf8' }).split('\n').filter(Boolean);
}
