// Entry file of every pool worker. Plain JavaScript on purpose: a worker thread starts without the
// TypeScript loader. Node 20 does not apply `--import tsx` given in a worker's execArgv, and the
// daemon registers tsx through its API (src/cli/bin.js), which workers do not inherit; vitest's own
// transform does not reach workers either. Registering tsx here works in all three cases.
import { register } from 'tsx/esm/api';

register();
const { default: run } = await import('./worker.ts');

export default run;
