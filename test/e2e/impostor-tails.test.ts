/**
 * config verify.impostorTails end to end: the daemon takes finger.verify's thresholds from the file
 * it names (system.info says so), and refuses to start on a file it cannot trust.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planVerify } from '../../src/biometrics/verify-policy/index.ts';
import { EktpBridgeClient } from '../../src/client/index.ts';
import { runCli, startSimulatedDaemon } from './helpers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ektp-e2e-tails-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tails of 100,000 sequences whose top sums of k attempts start at k x 0.05 */
const tails = {
  about: 'e2e',
  measured: '2026-01-02',
  modes: {
    images: {
      sequences: 100_000,
      sums: Array.from({ length: 10 }, (_, k) =>
        Array.from({ length: 300 }, (_, i) => (k + 1) * (0.05 - i * 1e-4)),
      ),
    },
  },
};

describe('verify.impostorTails', () => {
  it("gives finger.verify the file's thresholds (system.info.verifyPolicy)", async () => {
    const file = path.join(dir, 'tails.json');
    writeFileSync(file, JSON.stringify(tails));
    const d = await startSimulatedDaemon({ EKTP_BRIDGE_VERIFY_IMPOSTORTAILS: file });
    try {
      const client = new EktpBridgeClient({ origin: `http://127.0.0.1:${d.port}` });
      await client.connect(`ws://127.0.0.1:${d.port}/v1`);
      const info = await client.call('system.info', {});
      client.close();
      const policy = info.verifyPolicy!;
      expect(policy.tailsMeasured).toBe('2026-01-02');
      const plan = planVerify({ targetFmr: 0.001, maxAttempts: 3, fingers: 2 }, tails);
      expect(policy.stageThresholds).toEqual(plan.stageThresholds);
    } finally {
      await d.stop();
    }
  });

  it('refuses to start on a file that is not impostor tails, naming the key; doctor fails its config check', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...tails, modes: {} }));
    await expect(startSimulatedDaemon({ EKTP_BRIDGE_VERIFY_IMPOSTORTAILS: file })).rejects.toThrow(
      /INVALID_PARAMS: config key "verify\.impostorTails": .*"modes" lists no mode/,
    );
    const doctor = await runCli(['doctor'], { ...process.env, EKTP_BRIDGE_VERIFY_IMPOSTORTAILS: file });
    expect(doctor.code).not.toBe(0);
    expect(doctor.stdout).toMatch(/FAIL config .*"verify\.impostorTails": .*"modes" lists no mode/);
  });
});
