/**
 * Runs `fn` with this process's effective uid and gid switched to another user's, then back: how a
 * test run as root sees what the service user would (root may read any file). Only as root; the
 * vitest pool is 'forks', so the switch stays in this test file's process.
 */
export const IS_ROOT = process.getuid?.() === 0;

/** nobody:nogroup on Debian */
export const NOBODY = { name: 'nobody', uid: 65534, gid: 65534 };

export function asUser<T>(who: { uid: number; gid: number }, fn: () => T): T {
  if (!IS_ROOT) throw new Error('asUser needs root');
  process.setegid?.(who.gid);
  process.seteuid?.(who.uid);
  try {
    return fn();
  } finally {
    process.seteuid?.(0);
    process.setegid?.(0);
  }
}

/** asUser for an async `fn`: the switch lasts until its promise settles (nothing else runs meanwhile in a test) */
export async function asUserAsync<T>(who: { uid: number; gid: number }, fn: () => Promise<T>): Promise<T> {
  if (!IS_ROOT) throw new Error('asUser needs root');
  process.setegid?.(who.gid);
  process.seteuid?.(who.uid);
  try {
    return await fn();
  } finally {
    process.seteuid?.(0);
    process.setegid?.(0);
  }
}
