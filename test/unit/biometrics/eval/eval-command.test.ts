import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImpostorTailsFile } from '../../../../src/biometrics/verify-policy/index.ts';
import { REPO_ROOT } from '../../../shared-data.ts';
import { fvcDir, fvcPresent } from '../match/fixtures.ts';

const run = promisify(execFile);
const bin = path.join(REPO_ROOT, 'src/cli/bin.js');

/** `ektp-bridge eval` end to end: real images, real extractor and matcher, through the MatchPool. */
describe.skipIf(!fvcPresent)('ektp-bridge eval', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ektp-evalcmd-DB1_B-'));
    for (const f of ['101', '102']) {
      for (const i of [1, 2, 3]) {
        for (const ext of ['tif', 'iso']) {
          symlinkSync(path.join(fvcDir, 'DB1_B', `${f}_${i}.${ext}`), path.join(dir, `${f}_${i}.${ext}`));
        }
      }
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** `ektp-bridge eval --dataset <the folder> ...args` */
  const evalCli = (args: string[], env?: NodeJS.ProcessEnv) =>
    run(process.execPath, [bin, 'eval', '--dataset', dir, ...args], {
      env: env ?? process.env,
      encoding: 'utf8',
    });

  it('--json prints one document with the keys cli.md promises; progress goes to stderr', async () => {
    const { stdout, stderr } = await evalCli(['--json', '--threads', '1']);
    const r = JSON.parse(stdout);
    for (const key of [
      'eer',
      'fnmrAtFmr1pct',
      'fnmrAtFmr01pct',
      'genuinePairs',
      'impostorPairs',
      'extractMsMedian',
      'compareMsMedian',
    ]) {
      expect(r).toHaveProperty(key);
    }
    expect(r.genuinePairs).toBe(6);
    expect(r.impostorPairs).toBe(9);
    expect(r.eer).toBeGreaterThanOrEqual(0);
    expect(r.eer).toBeLessThanOrEqual(1);
    expect(r.extractMsMedian).toBeGreaterThan(0);
    expect(r.genuineScores).toHaveLength(6);
    expect(stderr).toMatch(/extracting 6 images/);
  });

  it('--templates iso runs the interoperability mode; a bad kind is INVALID_PARAMS', async () => {
    const { stdout } = await evalCli(['--templates', 'iso', '--threads', '1']);
    expect(stdout).toMatch(/our extraction vs \.iso templates/);
    expect(stdout).toMatch(/EER\s+\d+\.\d\d%/);
    await expect(evalCli(['--templates', 'ansi'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^INVALID_PARAMS/),
    });
  });

  it("--tails-out writes the folder's impostor tails for verify.impostorTails, which refuses too few", async () => {
    const tails = path.join(dir, 'tails.json');
    const { stdout, stderr } = await evalCli(['--json', '--threads', '1', '--tails-out', tails]);
    // 2 fingers x 3 impressions: 6 cards x 1 other finger x 3 starts
    const file = readImpostorTailsFile(tails);
    expect(file.modes.images.sequences).toBe(18);
    expect(file.modes.images.sums).toHaveLength(10);
    expect(JSON.parse(stdout)).not.toHaveProperty('impostorTails');
    expect(stderr).toMatch(
      /impostor tails of 18 sequences written to .*too few for verify\.targetFmr 0\.001/,
    );
    // a daemon or eval configured with them refuses to start, naming the key
    const config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ verify: { impostorTails: tails } }));
    await expect(evalCli(['--config', config])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /^INVALID_PARAMS: config key "verify\.impostorTails": .*18 impostor sequences are too few/,
      ),
    });
    // the shipped tails answer to the same check: a target they cannot vouch for names its key
    await expect(
      evalCli([], { ...process.env, EKTP_BRIDGE_VERIFY_TARGETFMR: '0.00005' }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /^INVALID_PARAMS: config key "verify\.targetFmr": the shipped impostor tails'/,
      ),
    });
  });
});
