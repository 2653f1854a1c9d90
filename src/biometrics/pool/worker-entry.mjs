// Entry file of every pool worker when running from the sources (the compiled daemon starts its
// workers on dist/app/biometrics-pool-worker.mjs instead, see scripts/build.mjs). Plain JavaScript
// on purpose: a worker thread starts without the TypeScript loader. `--import tsx` in a worker's execArgv does nothing (tsx registers its hooks only
// when imported on the main thread; in a worker it assumes it is the loader thread), the daemon
// registers tsx through its API (src/cli/bin.js), which workers do not inherit, and vitest's own
// transform does not reach workers either. Registering tsx here works under all three.
import { register } from 'tsx/esm/api';

register();
const { default: run } = await import('./worker.ts');

export default run;
