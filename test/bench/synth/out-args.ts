/**
 * Command line of the scripts that write a dataset folder (hard-mix.ts, real-hard.ts): `--name value`
 * options, and the --out folder, which must lie outside the repository (datasets are never committed).
 */
import path from 'node:path';
import { REPO_ROOT } from '../../shared-data.ts';

const args = process.argv.slice(2);

/** The value after `--name`, if given. */
export function opt(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

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
