import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptHash } from '../../src/receipts/index.ts';
import { freePort } from '../e2e/helpers.ts';
import { cannotRun, DebianRoot, mustRun } from './debian-root.ts';
import { readAndVerify, waitForHealth } from './exercise.ts';

/**
 * The "done when": on fresh Debian 12 and 13 roots (debootstrap minbase: no Node, no npm,
 * no compiler), `apt-get install ./ektp-bridge_<version>_amd64.deb` pulls none of them in; the
 * installed command runs on its bundled Node from compiled JavaScript (--version, doctor); `serve
 * --simulate` inside the root answers card.read (valid) and finger.verify (matched) over the
 * WebSocket from outside. On Debian 12 the next version is then installed while the daemon is
 * answering: no answered receipt is lost, the chain holds from genesis, the device key and audit
 * log survive. Then remove keeps the state and purge deletes it.
 *
 * The tests of this file share the roots and run in order. The packages are built with zstd (dpkg
 * reads it on both releases) to keep the run short; the release build uses xz.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const CURRENT = PKG.version;
const NEXT = CURRENT.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_m, a, b, c) => `${a}.${b}.${Number(c) + 1}`);
const USER = 'ektp-bridge';
const STATE = 'var/lib/ektp-bridge';
/** What a branch PC must not have, before or after: the "no compiler, no npm, no Node". */
const TOOLCHAIN = ['node', 'nodejs', 'npm', 'npx', 'gcc', 'cc', 'c++', 'g++', 'make', 'node-gyp'];

const skipReason = await cannotRun();
if (skipReason) console.warn(`fresh-machine package tests skipped: ${skipReason}`);

async function buildPackage(version: string, outDir: string): Promise<string> {
  await mustRun(
    process.execPath,
    [join(ROOT, 'scripts/package-deb.mjs'), '--out', outDir, '--compression', 'zstd'],
    {
      ...process.env,
      EKTP_BRIDGE_PACKAGE_VERSION: version,
    },
  );
  return join(outDir, `ektp-bridge_${version}_amd64.deb`);
}

async function toolchainIn(root: DebianRoot): Promise<string[]> {
  const found: string[] = [];
  for (const tool of TOOLCHAIN) {
    if ((await root.exec(['sh', '-c', `command -v ${tool}`])).code === 0) found.push(tool);
  }
  return found;
}

async function mustExec(root: DebianRoot, args: string[]): Promise<string> {
  const r = await root.exec(args);
  if (r.code !== 0)
    throw new Error(`${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`.slice(-4000));
  return r.stdout;
}

/** What IT runs on a branch PC: apt-get install of the file (its Depends come from the archive). */
async function aptInstall(root: DebianRoot, deb: string): Promise<void> {
  const inside = `/tmp/${basename(deb)}`;
  copyFileSync(deb, root.path(inside));
  await mustExec(root, ['apt-get', '-o', 'DPkg::Lock::Timeout=120', 'update', '-qq']);
  await mustExec(root, ['apt-get', 'install', '-y', '-q', inside]);
}

interface Running {
  port: number;
  proc: ChildProcess;
  stderr: () => string;
  stop: () => Promise<number | null>;
}

async function serveSimulated(root: DebianRoot): Promise<Running> {
  const port = await freePort();
  const proc = root.spawnAs(USER, ['/usr/bin/ektp-bridge', 'serve', '--simulate'], {
    EKTP_BRIDGE_PORT: String(port),
  });
  let err = '';
  proc.stderr?.on('data', (d) => {
    err += d;
  });
  proc.stdout?.resume();
  await Promise.race([
    waitForHealth(port, 60_000),
    new Promise((_r, reject) => proc.once('exit', (c) => reject(new Error(`daemon exited ${c}: ${err}`)))),
  ]);
  return {
    port,
    proc,
    stderr: () => err,
    stop: async () => {
      if (proc.exitCode !== null) return proc.exitCode;
      const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
      proc.kill('SIGTERM');
      return exited;
    },
  };
}

describe.skipIf(!!skipReason)('the package on fresh Debian 12 and 13 roots', () => {
  const out = mkdtempSync(join(tmpdir(), 'ektp-bridge-debs-'));
  const roots: Partial<Record<'bookworm' | 'trixie', DebianRoot>> = {};
  const debs = { current: '', next: '' };
  const running: Running[] = [];
  /** every receipt the bookworm daemon answered, in order */
  const receipts: string[] = [];

  beforeAll(async () => {
    // the slow parts side by side: two package builds, two debootstraps
    const [current, next, bookworm, trixie] = await Promise.allSettled([
      buildPackage(CURRENT, out),
      buildPackage(NEXT, out),
      DebianRoot.create('bookworm'),
      DebianRoot.create('trixie'),
    ]);
    if (bookworm.status === 'fulfilled') roots.bookworm = bookworm.value;
    if (trixie.status === 'fulfilled') roots.trixie = trixie.value;
    for (const r of [current, next, bookworm, trixie]) if (r.status === 'rejected') throw r.reason;
    debs.current = (current as PromiseFulfilledResult<string>).value;
    debs.next = (next as PromiseFulfilledResult<string>).value;
  }, 900_000);

  afterAll(async () => {
    for (const r of running) await r.stop();
    for (const root of Object.values(roots)) await root?.destroy();
    rmSync(out, { recursive: true, force: true });
  }, 120_000);

  for (const suite of ['bookworm', 'trixie'] as const) {
    it(`${suite}: installs with apt, pulls in no toolchain, runs and answers from outside`, async () => {
      const root = roots[suite]!;
      expect(await toolchainIn(root), 'a minbase root has no toolchain').toEqual([]);
      await aptInstall(root, debs.current);
      expect(await toolchainIn(root), 'the package pulled in a toolchain').toEqual([]);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a template
      const dpkg = await root.exec(['dpkg-query', '-W', '-f', '${Package}\\n']);
      const installed = dpkg.stdout.split('\n');
      for (const p of ['nodejs', 'npm', 'gcc', 'g++', 'make', 'python3']) expect(installed).not.toContain(p);

      const version = await root.exec(['ektp-bridge', '--version']);
      expect(version.stdout.trim(), version.stderr).toBe(CURRENT);
      // the bundled Node, not a distro one
      const node = await root.exec(['/usr/lib/ektp-bridge/node', '--version']);
      expect(Number(/^v(\d+)/.exec(node.stdout)?.[1])).toBeGreaterThanOrEqual(24);
      expect(
        (await root.exec(['sh', '-c', 'find /usr/lib/ektp-bridge -name "*.ts" ! -name "*.d.ts"'])).stdout,
      ).toBe('');

      const d = await serveSimulated(root);
      running.push(d);
      const r = await readAndVerify(d.port, root.path(STATE));
      expect(r.documentSignature, d.stderr()).toBe('valid');
      expect(r.nikDigits).toBe(true);
      expect(r.matched, d.stderr()).toBe(true);
      if (suite === 'bookworm') receipts.push(...r.receipts);

      const doctor = await root.execAs(USER, ['ektp-bridge', 'doctor', '--json'], {
        EKTP_BRIDGE_PORT: String(d.port),
      });
      const report = JSON.parse(doctor.stdout) as {
        checks: Array<{ check: string; ok: boolean; detail: string }>;
      };
      const byName = Object.fromEntries(report.checks.map((c) => [c.check, c]));
      expect(byName.config, doctor.stdout).toMatchObject({
        ok: true,
        detail: '/etc/ektp-bridge/config.json',
      });
      expect(byName.dataDir?.ok, doctor.stdout).toBe(true);
      expect(byName.daemon?.ok, doctor.stdout).toBe(true);
      // a fresh install has no SAM secrets yet: doctor says so, clearly
      expect(byName.secrets, doctor.stdout).toMatchObject({ ok: false });

      // postinst wrote the browser policies for the configured origins (none yet on a fresh install)
      for (const dir of ['etc/chromium', 'etc/opt/chrome', 'etc/opt/edge']) {
        const policy = JSON.parse(
          readFileSync(root.path(`${dir}/policies/managed/ektp-bridge.json`), 'utf8'),
        );
        expect(policy.LocalNetworkAccessAllowedForUrls, dir).toEqual([]);
      }

      const rules = readFileSync(root.path('usr/lib/udev/rules.d/70-ektp-bridge.rules'), 'utf8');
      expect(rules).toMatch(/ATTR\{idVendor\}=="298d"/);
      const groups = await root.exec(['id', '-nG', USER]);
      expect(groups.stdout.split(/\s+/)).toEqual(expect.arrayContaining(['plugdev', 'dialout']));
      if (suite === 'trixie') {
        expect(await d.stop()).toBe(0);
      }
    }, 600_000);
  }

  it('bookworm: the next version installs under a daemon that keeps answering; nothing is lost', async () => {
    const root = roots.bookworm!;
    const old = running[0]!;
    const keyBefore = readFileSync(root.path(`${STATE}/device-key.pem`));
    // a counter keeps working while IT pushes the upgrade
    let upgrading = true;
    let failures = 0;
    const traffic = (async () => {
      while (upgrading) {
        try {
          receipts.push(...(await readAndVerify(old.port, root.path(STATE))).receipts);
        } catch (e) {
          failures++;
          console.warn(`call during the upgrade failed: ${(e as Error).message}`);
        }
      }
    })();
    // IT may have disabled the service on this PC: an upgrade must not enable it again (postinst
    // enables on the first install only). The root has no systemd, so a stand-in systemctl records
    // what the upgrade's postinst asks of it.
    const shim = root.path('usr/bin/systemctl');
    const calls = root.path('tmp/systemctl-calls');
    const realSystemctl = existsSync(shim);
    if (!realSystemctl)
      writeFileSync(shim, '#!/bin/sh\necho "$*" >> /tmp/systemctl-calls\n', { mode: 0o755 });
    else console.warn('the bookworm root has a real systemctl: the no-enable-on-upgrade check is skipped');
    await aptInstall(root, debs.next);
    upgrading = false;
    if (!realSystemctl) {
      rmSync(shim);
      expect(existsSync(calls) ? readFileSync(calls, 'utf8') : '', 'postinst on upgrade').not.toMatch(
        /enable/,
      );
    }
    await traffic;
    expect(failures).toBe(0);
    expect((await root.exec(['ektp-bridge', '--version'])).stdout.trim()).toBe(NEXT);

    // the graceful stop the unit's restart does, then the new version on the same state
    expect(await old.stop()).toBe(0);
    const fresh = await serveSimulated(root);
    running.push(fresh);
    const after = await readAndVerify(fresh.port, root.path(STATE));
    expect(after.matched).toBe(true);
    receipts.push(...after.receipts);
    expect(await fresh.stop()).toBe(0);

    expect(readFileSync(root.path(`${STATE}/device-key.pem`)).equals(keyBefore)).toBe(true);
    const audit = await root.execAs(USER, ['ektp-bridge', 'audit', 'verify', '--json']);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    const logged = new Set(
      readFileSync(root.path(`${STATE}/audit.log`), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).receiptHash as string | undefined),
    );
    expect(receipts.filter((r) => !logged.has(receiptHash(r)))).toEqual([]);
    writeFileSync(root.path('tmp/receipts.txt'), `${receipts.join('\n')}\n`);
    const chain = await root.execAs(USER, [
      'ektp-bridge',
      'receipt',
      'verify',
      '--json',
      '--from-genesis',
      '--device-key-from',
      `/${STATE}`,
      '/tmp/receipts.txt',
    ]);
    expect(JSON.parse(chain.stdout).chain, chain.stderr).toMatchObject({ ok: true });
    expect(receipts.length).toBeGreaterThan(4);
  }, 600_000);

  it('bookworm: remove keeps the state and configuration, purge deletes them', async () => {
    const root = roots.bookworm!;
    await mustExec(root, ['apt-get', 'remove', '-y', '-q', 'ektp-bridge']);
    expect(existsSync(root.path('usr/bin/ektp-bridge'))).toBe(false);
    expect(existsSync(root.path(`${STATE}/device-key.pem`))).toBe(true);
    expect(existsSync(root.path(`${STATE}/audit.log`))).toBe(true);
    expect(existsSync(root.path('etc/ektp-bridge/config.json'))).toBe(true);
    expect(existsSync(root.path('etc/chromium/policies/managed/ektp-bridge.json'))).toBe(false);
    await mustExec(root, ['apt-get', 'purge', '-y', '-q', 'ektp-bridge']);
    expect(existsSync(root.path(STATE))).toBe(false);
    expect(existsSync(root.path('etc/ektp-bridge'))).toBe(false);
  }, 300_000);
});
