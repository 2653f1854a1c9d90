import { readFileSync } from 'node:fs';

/** The package version, read once from package.json: what system.info and `--version` report. */
export const VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;
