import {
  closeSync,
  fchownSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Replaces `path` with `content` so that after a crash the file holds either the old or the new
 * content, never a mix: write a temporary file beside it, fsync it, rename it over, fsync the
 * directory (the rename itself lives in the directory). Mode 0600: the files hold chain state only
 * the service user may change. `owner` hands the file to that user before it appears (a command run
 * as root installing a file the service user must read).
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, owner?: FileOwner): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    try {
      // writeFileSync on an fd writes all of it (a gallery may take more than one write(2))
      writeFileSync(fd, content);
      if (owner) fchownSync(fd, owner.uid, owner.gid);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    // a full disk: do not leave the partial copy taking the space the next attempt needs
    try {
      unlinkSync(tmp);
    } catch {
      /* not there */
    }
    throw e;
  }
  fsyncDir(dirname(path));
}

/** a file's owner, as fchown takes it */
export interface FileOwner {
  uid: number;
  gid: number;
}

/**
 * The owner a file made in `dir` must get: `dir`'s owner when this process runs as root and `dir`
 * belongs to another user (dataDir belongs to the service user), so that a command run as root
 * (`keys show`, `gallery load`) cannot leave a file there the daemon may not read. undefined: the
 * file stays this process's own.
 */
export function ownerForNewFile(dir: string): FileOwner | undefined {
  if (process.geteuid?.() !== 0) return undefined;
  const st = statSync(dir);
  return st.uid === 0 ? undefined : { uid: st.uid, gid: st.gid };
}

/**
 * Creates `path` (mode 0600) with `content`; fails with EEXIST if it exists (never replaces a key).
 * `owner` gets the file before any content is in it.
 */
export function writeFileExclusive(path: string, content: string, owner?: FileOwner): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    if (owner) fchownSync(fd, owner.uid, owner.gid);
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes what writeFileAtomic leaves when its process dies between writing the temporary file and
 * renaming it (kill -9, power cut): `<name>.<pid>.tmp` files whose pid no longer runs. A live
 * process's file is left alone (another ektp-bridge command may be writing it right now). Returns
 * the names removed. Called at start, before anything writes in `dir`.
 */
export function removeStaleTempFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /\.(\d+)\.tmp$/.exec(name);
    if (!m || processRuns(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      /* gone already, or not ours to remove: nothing depends on it */
    }
  }
  return removed;
}

function processRuns(pid: number): boolean {
  if (pid === process.pid) return false; // a file of this process before it started writing: stale
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // runs, as another user
  }
}
