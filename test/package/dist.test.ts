import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../e2e/helpers.ts';
import { readAndVerify, waitForHealth } from './exercise.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * `npm run build`'s daemon (scripts/build.mjs) runs from dist/ as compiled JavaScript: the CLI, the
 * daemon, the worker pool's entry and task modules, the reference page and package.json all resolve
 * from the built folder. Built into a scratch folder inside dist/ so that the checkout's node_modules
 * stand in for the package's production ones.
 */
describe('the compiled daemon (npm run build)', () => {
  const scratch = mkdtempSync(join(ROOT, 'dist-test-'));
  const app = join(scratch, 'app');
  const dataDir = mkdtempSync(join(tmpdir(), 'ektp-dist-'));
  let port = 0;
  let daemon: ReturnType<typeof spawn> | undefined;
  let stderr = '';

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--out', app], {
      cwd: ROOT,
      env: { ...process.env, EKTP_BRIDGE_PACKAGE_VERSION: '9.8.7' },
      stdio: 'pipe',
    });
    port = await freePort();
    // Type stripping off: a .ts file reached at run time would fail to load instead of running.
    daemon = spawn(
      process.execPath,
      ['--no-experimental-strip-types', join(app, 'main.mjs'), 'serve', '--simulate'],
      {
        env: { ...process.env, EKTP_BRIDGE_PORT: String(port), EKTP_BRIDGE_DATADIR: dataDir },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    daemon.stderr?.on('data', (d) => {
      stderr += d;
    });
    await waitForHealth(port);
  }, 60_000);

  afterAll(async () => {
    if (daemon && daemon.exitCode === null) {
      const exited = new Promise((r) => daemon?.once('exit', r));
      daemon.kill('SIGTERM');
      await exited;
    }
    rmSync(scratch, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds only JavaScript that imports no tsx', () => {
    const files = readdirSync(app);
    expect(files).toContain('main.mjs');
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    for (const f of files.filter((n) => n.endsWith('.mjs'))) {
      expect(readFileSync(join(app, f), 'utf8'), f).not.toMatch(/from\s*["']tsx|import\(["']tsx/);
    }
  });

  it('reports the version it was built with', () => {
    const out = execFileSync(process.execPath, [join(app, 'main.mjs'), '--version'], { encoding: 'utf8' });
    expect(out.trim()).toBe('9.8.7');
  });

  it('reads the card (valid signature) and verifies the finger (matched) through the worker pool', async () => {
    const r = await readAndVerify(port, dataDir);
    expect(r.documentSignature, stderr).toBe('valid');
    expect(r.nikDigits).toBe(true);
    expect(r.matched, stderr).toBe(true);
  }, 60_000);

  it('serves the reference page from the built folder', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<html/i);
    const js = await fetch(`http://127.0.0.1:${port}/app.js`);
    expect(js.status).toBe(200);
  });
});
