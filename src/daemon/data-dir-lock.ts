import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BridgeError } from '../../protocols/errors.ts';

/**
 * One daemon per data folder. Two daemons on one `dataDir` (a `serve` started by hand beside the
 * service, on its port or another) would each append to the audit log and the receipt chain from
 * their own idea of its head, and break both chains for good. Taken first thing at start, before
 * anything is read or written there.
 *
 * The lock is `dataDir/daemon.lock`, created exclusively and holding the owner's pid. Node has no
 * flock(), so a lock left by a daemon that died (kill -9, power cut) is recognised by its pid: no
 * such process, or a process that is not a `serve` (the pid was reused after a reboot), and it is
 * taken over. A process we may not inspect is assumed to be the owner: refusing to start is
 * recoverable, two writers are not.
 */
export const LOCK_FILE = 'daemon.lock';

/** data folders locked by daemons of this process (a pid check cannot tell them apart) */
const heldHere = new Set<string>();

/** Takes the lock or throws BUSY naming the folder and the owner; the result releases it. */
export function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, LOCK_FILE);
  if (!tryCreate(file)) {
    const owner = ownerOf(file);
    if (owner !== undefined && (owner === process.pid ? heldHere.has(dir) : runsServe(owner))) {
      throw new BridgeError(
        'BUSY',
        `data folder ${dir} is in use by another ektp-bridge (pid ${owner}): stop it ` +
          '(systemctl stop ektp-bridge, if it is the installed service) or give this one its own dataDir',
        { dataDir: dir, pid: owner },
      );
    }
    unlinkSync(file); // left by a daemon that is gone
    if (!tryCreate(file))
      throw new BridgeError('BUSY', `data folder ${dir} was locked by another daemon starting`);
  }
  heldHere.add(dir);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    heldHere.delete(dir);
    try {
      if (ownerOf(file) === process.pid) unlinkSync(file);
    } catch {
      // already gone: nothing to release
    }
  };
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether pid is a live process that may be a daemon (see the note at the top). */
function runsServe(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('serve');
  } catch {
    return true;
  }
}
