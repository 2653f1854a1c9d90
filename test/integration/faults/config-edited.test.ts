/**
 * Fault matrix (issue 11 item 7): the configuration file edited to something invalid while the
 * daemon runs. Decided behaviour: the daemon keeps running on the configuration it loaded (it never
 * reloads), /health reports the file as `invalid` with the message naming the key, `doctor` fails
 * its config check naming the key, and a restart (`serve`) refuses to start with that message.
 * Putting the file right is seen at once.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFileStatus, loadConfigDetailed } from '../../../src/config/index.ts';
import { type Daemon, startDaemon } from '../../../src/daemon/daemon.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { REPO_ROOT } from '../../shared-data.ts';

const run = promisify(execFile);
const bin = join(REPO_ROOT, 'src/cli/bin.js');
const ctx = () => ({ signal: new AbortController().signal, progress() {}, origin: 'http://127.0.0.1' });

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { timeout: 30_000 });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('config file edited to invalid while the daemon runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-fault-config-'));
  const file = join(dir, 'config.json');
  const good = `${JSON.stringify({ port: 0, dataDir: join(dir, 'data'), hosts: ['127.0.0.1'], simulate: { residents: 1 } }, null, 2)}\n`;
  let daemon: Daemon;

  beforeAll(async () => {
    writeFileSync(file, good);
    const { config, source } = loadConfigDetailed({ path: file, env: {} });
    daemon = await startDaemon({
      config,
      logger: silentLogger(),
      simulate: true,
      configStatus: configFileStatus(source, {}),
    });
  }, 120_000);
  afterAll(async () => {
    await daemon?.close();
  });

  it('keeps running on the loaded config; health says invalid naming the key; doctor and serve refuse', async () => {
    expect((await daemon.services.health()).config).toEqual({ file, state: 'loaded' });

    writeFileSync(file, good.replace('"port": 0', '"port": "seventy-two"'));
    const health = await daemon.services.health();
    expect(health.config).toMatchObject({ file, state: 'invalid', key: 'port' });
    expect((health.config as { error: string }).error).toMatch(/config key "port"/);

    // still serving on what it loaded: a read works and is receipted
    await daemon.fingers!.tapCard(0);
    const read = await daemon.services.cardRead({ fields: ['biodata'] }, ctx());
    expect(read.receipt).toBeTruthy();

    // a restart refuses, naming the key; doctor's config check fails the same way
    const serve = await cli(['serve', '--config', file]);
    expect(serve.code).toBe(1);
    expect(serve.out).toMatch(/^INVALID_PARAMS: config key "port"/m);
    const doctor = await cli(['doctor', '--config', file]);
    expect(doctor.code).not.toBe(0);
    expect(doctor.out).toMatch(/FAIL config .*"port"/);

    // edited again to something valid: applies at the next restart; put back: as loaded
    writeFileSync(file, good.replace('"residents": 1', '"residents": 2'));
    expect((await daemon.services.health()).config).toEqual({ file, state: 'changed' });
    writeFileSync(file, good);
    expect((await daemon.services.health()).config).toEqual({ file, state: 'loaded' });
    expect(readFileSync(file, 'utf8')).toBe(good);
  }, 120_000);
});
