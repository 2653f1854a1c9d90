import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type PolicyFile, policyFileText } from './policies.ts';

/**
 * Installs the policy files under `root` ('/' on a real machine; a staging folder when building a
 * package). Each file is written whole to a temporary name and renamed, so a browser starting at
 * that moment reads the old policies or the new ones, never half a file. Mode 0644: every user's
 * browser must read it; only root may change it (that is what makes it "managed").
 */
export function writePolicyFiles(root: string, files: readonly PolicyFile[]): string[] {
  const written: string[] = [];
  for (const file of files) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, policyFileText(file), { mode: 0o644 });
    chmodSync(tmp, 0o644); // the umask must not make it unreadable to the browser's user
    renameSync(tmp, target);
    written.push(target);
  }
  return written;
}
