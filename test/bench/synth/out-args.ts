/**
 * The --out folder of the scripts that write a dataset folder (hard-mix.ts, real-hard.ts): it must
 * lie outside the repository (datasets are never committed). Their other options: ../args.ts.
 */
import path from 'node:path';
import { REPO_ROOT } from '../../shared-data.ts';
import { opt } from '../args.ts';

/** The --out folder; exits with the usage line when it is missing or inside the repository. */
export function outDirOutsideRepo(usage: string, example: string): string {
  const out = opt('out');
  if (!out) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  if (path.resolve(out).startsWith(`${REPO_ROOT}${path.sep}`)) {
    console.error(`refusing to write inside the repository: give a folder outside it (e.g. ${example})`);
    process.exit(2);
  }
  return out;
}
