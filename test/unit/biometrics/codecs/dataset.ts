/** Where the shared FVC2002 "B" sets live for tests (../shared relative to the repo root; never copied). */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { FVC_DIR, fvcPresent as present, REPO_ROOT } from '../../../shared-data.ts';

export const repoRoot = REPO_ROOT;
export const fvcDir = FVC_DIR;
export const fvcPresent = present();
if (!fvcPresent) console.warn(`FVC2002-B dataset not found at ${fvcDir}: dataset tests are skipped`);

export const FVC_SETS = ['DB1_B', 'DB2_B', 'DB3_B', 'DB4_B'] as const;

/** Files of one set with the given extension, sorted, as absolute paths. */
export function fvcFiles(set: string, ext: string): string[] {
  const dir = path.join(fvcDir, set);
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => path.join(dir, f));
}
