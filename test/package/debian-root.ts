/**
 * A clean Debian root made by debootstrap (--variant=minbase: no Node, no npm, no compiler), used
 * through chroot as a fresh branch PC would be used through a shell. Only /proc is mounted inside;
 * the root's own /dev (made by debootstrap) is enough, so nothing of the host's /dev is ever bound
 * into a folder that is later deleted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIRROR = process.env.EKTP_BRIDGE_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
const CHROOT_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C.UTF-8',
  DEBIAN_FRONTEND: 'noninteractive',
};

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, output captured (the event loop stays free for the test's clients). */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export async function mustRun(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  const r = await run(cmd, args, env);
  if (r.code !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`.slice(-4000));
  return r;
}

export class DebianRoot {
  private procMounted = false;

  private constructor(
    readonly suite: string,
    readonly dir: string,
  ) {}

  /** debootstrap --variant=minbase `suite` into a fresh folder under /tmp (about 25 s to a few minutes). */
  static async create(suite: string): Promise<DebianRoot> {
    const dir = mkdtempSync(`/tmp/ektp-bridge-${suite}-`);
    chmodSync(dir, 0o755); // it becomes "/": the service user must be able to traverse it
    const root = new DebianRoot(suite, dir);
    try {
      await mustRun('debootstrap', ['--variant=minbase', suite, dir, MIRROR]);
      // Services the packages install must not start inside the chroot (Debian's chroot convention).
      writeFileSync(join(dir, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n');
      chmodSync(join(dir, 'usr/sbin/policy-rc.d'), 0o755);
      await mustRun('mount', ['-t', 'proc', 'proc', join(dir, 'proc')]);
      root.procMounted = true;
      return root;
    } catch (e) {
      await root.destroy();
      throw e;
    }
  }

  /** Runs a command inside the root as root. */
  exec(args: string[], env: Record<string, string> = {}): Promise<Run> {
    return run('chroot', [this.dir, 'env', '-i', ...envArgs({ ...CHROOT_ENV, ...env }), ...args]);
  }

  /** Runs a command inside the root as the service user, with its groups (as systemd would). */
  execAs(user: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
    return this.exec(['setpriv', `--reuid=${user}`, `--regid=${user}`, '--init-groups', '--', ...args], env);
  }

  /** Starts a long-running command inside the root as `user`; the child is the command itself. */
  spawnAs(user: string, args: string[], env: Record<string, string> = {}): ChildProcess {
    return spawn(
      'chroot',
      [
        this.dir,
        'env',
        '-i',
        ...envArgs({ ...CHROOT_ENV, ...env }),
        'setpriv',
        `--reuid=${user}`,
        `--regid=${user}`,
        '--init-groups',
        '--',
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  }

  path(p: string): string {
    return join(this.dir, p);
  }

  /** Unmounts /proc and deletes the root, but never while anything is still mounted under it. */
  async destroy(): Promise<void> {
    if (this.procMounted) {
      await run('umount', [join(this.dir, 'proc')]);
      this.procMounted = false;
    }
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .filter((l) => l.split(' ')[1]?.startsWith(`${this.dir}/`));
    if (mounts.length) {
      console.warn(`debian-root: ${this.dir} still has mounts, left in place:\n${mounts.join('\n')}`);
      return;
    }
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}

function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/** Why the fresh-machine tests cannot run here, or undefined when they can. */
export async function cannotRun(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root (debootstrap, chroot and mount need root)';
  for (const tool of ['debootstrap', 'dpkg-deb', 'chroot', 'mount']) {
    if ((await run('sh', ['-c', `command -v ${tool}`])).code !== 0)
      return `${tool} is not installed (bash .ci/setup)`;
  }
  return undefined;
}
