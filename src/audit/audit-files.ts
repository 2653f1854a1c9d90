import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Rotation keeps one chain over several files: `audit.log` is the file being written; when it is
 * rotated it is renamed `audit.log.<n>`, n = 1 for the oldest and one more for each later file, so a
 * rotation never renames an older file. The first line of each file links (prevHash, seq) to the
 * last line of the file before it.
 */
export function rotatedFiles(path: string): string[] {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
    .map((n) => ({ n: Number(n.slice(prefix.length)), name: n }))
    .sort((a, b) => a.n - b.n)
    .map(({ name }) => join(dir, name));
}

/** Every file of the chain, oldest first: the rotated ones, then the current one. */
export function chainFiles(path: string): string[] {
  return [...rotatedFiles(path), path];
}

/** The name the current file gets when it is rotated now. */
export function nextRotatedPath(path: string): string {
  const last = rotatedFiles(path).at(-1);
  const n = last === undefined ? 1 : Number(last.slice(last.lastIndexOf('.') + 1)) + 1;
  return `${path}.${n}`;
}
