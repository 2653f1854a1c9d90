import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Who the daemon runs as, and whether that user can reach a file: for messages that name the real
 * fix (a missed chown) instead of "cannot be read". Users and groups come from /etc/passwd and
 * /etc/group (no native module, no NSS): the package's service user is a local system user.
 */

/** The system user the packaged service runs as (systemd/ektp-bridge.service User=, postinst). */
export const SERVICE_USER = 'ektp-bridge';

export interface Account {
  /** the user's name, or its uid as text when /etc/passwd does not know it */
  name: string;
  uid: number;
  /** primary group */
  gid: number;
}

/** where users and groups are read (tests point these at their own files) */
export interface AccountFiles {
  passwd: string;
  group: string;
}

export const SYSTEM_ACCOUNT_FILES: AccountFiles = { passwd: '/etc/passwd', group: '/etc/group' };

function entries(file: string): string[][] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

export function userByName(name: string, files = SYSTEM_ACCOUNT_FILES): Account | undefined {
  const e = entries(files.passwd).find((f) => f[0] === name && f.length >= 4);
  return e ? { name, uid: Number(e[2]), gid: Number(e[3]) } : undefined;
}

export function userName(uid: number, files = SYSTEM_ACCOUNT_FILES): string {
  return entries(files.passwd).find((f) => Number(f[2]) === uid && f.length >= 4)?.[0] ?? String(uid);
}

export function groupName(gid: number, files = SYSTEM_ACCOUNT_FILES): string {
  return entries(files.group).find((f) => Number(f[2]) === gid && f.length >= 3)?.[0] ?? String(gid);
}

/** the account's primary group and the groups that list it as a member */
function groupsOf(account: Account, files: AccountFiles): Set<number> {
  const member = entries(files.group)
    .filter((f) => f.length >= 4 && f[3].split(',').includes(account.name))
    .map((f) => Number(f[2]));
  return new Set([account.gid, ...member]);
}

/** the user this process runs as */
export function currentAccount(files = SYSTEM_ACCOUNT_FILES): Account {
  const uid = process.geteuid?.() ?? 0;
  return { name: userName(uid, files), uid, gid: process.getegid?.() ?? 0 };
}

/**
 * The user the daemon runs as, seen from any process: the owner of dataDir when that is not root
 * (the postinst and systemd's StateDirectory= give it to the service user, and commands run as root
 * leave what they create there to that owner), else the package's service user if it exists.
 * undefined: neither (a developer's machine, a dataDir that does not exist yet).
 */
export function serviceAccount(dataDir: string, files = SYSTEM_ACCOUNT_FILES): Account | undefined {
  try {
    const st = statSync(dataDir);
    if (st.uid !== 0) return { name: userName(st.uid, files), uid: st.uid, gid: st.gid };
  } catch {
    /* not there (yet), or not ours to look at */
  }
  return userByName(SERVICE_USER, files);
}

/** `chown user:group path`, the command that gives `path` to `account` */
export function chownCommand(
  account: Account,
  path: string,
  opts: { recursive?: boolean; files?: AccountFiles } = {},
): string {
  const files = opts.files ?? SYSTEM_ACCOUNT_FILES;
  return `chown ${opts.recursive ? '-R ' : ''}${account.name}:${groupName(account.gid, files)} ${path}`;
}

/** `user:group`, the owner of a file as `ls -l` shows it */
export function ownerText(st: { uid: number; gid: number }, files = SYSTEM_ACCOUNT_FILES): string {
  return `${userName(st.uid, files)}:${groupName(st.gid, files)}`;
}

export interface AccessProblem {
  /** the file itself, or the folder above it that stops the user */
  path: string;
  /** e.g. "/etc/ektp-bridge/sam-secrets.json is root:root mode 0600" */
  detail: string;
}

/**
 * Whether `account` may read (or write) `path`, judged from the mode bits as the kernel would (ACLs
 * aside): search permission on every folder above it, then the file's owner, group or other bits.
 * undefined: it may; root may everything. A path this process cannot stat is not judged.
 */
export function accessProblem(
  path: string,
  account: Account,
  want: 'read' | 'write',
  files = SYSTEM_ACCOUNT_FILES,
): AccessProblem | undefined {
  if (account.uid === 0) return undefined;
  const groups = groupsOf(account, files);
  const bits = (
    p: string,
  ): { st: { uid: number; gid: number; mode: number }; granted: number } | undefined => {
    try {
      const st = statSync(p);
      const shift = st.uid === account.uid ? 6 : groups.has(st.gid) ? 3 : 0;
      return { st, granted: (st.mode >> shift) & 0o7 };
    } catch {
      return undefined;
    }
  };
  const full = resolve(path);
  const folders: string[] = [];
  for (let d = dirname(full); ; d = dirname(d)) {
    folders.unshift(d);
    if (d === dirname(d)) break;
  }
  const describe = (p: string, st: { uid: number; gid: number; mode: number }) =>
    `${p} is ${ownerText(st, files)} mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}`;
  for (const d of folders) {
    const b = bits(d);
    if (b && !(b.granted & 0o1)) return { path: d, detail: describe(d, b.st) };
  }
  const b = bits(full);
  if (b && !(b.granted & (want === 'read' ? 0o4 : 0o2))) return { path: full, detail: describe(full, b.st) };
  return undefined;
}
