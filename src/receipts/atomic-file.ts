import { closeSync, fchownSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces `path` with `content` so that after a crash the file holds either the old or the new
 * content, never a mix: write a temporary file beside it, fsync it, rename it over, fsync the
 * directory (the rename itself lives in the directory). Mode 0600: the files hold chain state only
 * the service user may change. `owner` hands the file to that user before it appears (a command run
 * as root installing a file the service user must read).
 */
export function writeFileAtomic(path: string, content: string, owner?: { uid: number; gid: number }): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, content);
    if (owner) fchownSync(fd, owner.uid, owner.gid);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
