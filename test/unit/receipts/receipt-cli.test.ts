import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDeviceKey } from '../../../src/keys/device-key.ts';
import { createReceiptSigner } from '../../../src/receipts/index.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['src/cli/bin.js', ...args], { cwd: ROOT }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('ektp-bridge receipt verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'receipt-cli-'));
  const file = join(dir, 'receipts.txt');
  const keyFile = join(dir, 'device.json');
  const receipts: string[] = [];
  beforeAll(async () => {
    const key = await loadOrCreateDeviceKey(dir);
    const signer = createReceiptSigner({ deviceKey: key, chainFile: join(dir, 'receipt-chain.json') });
    for (let i = 0; i < 3; i++) {
      receipts.push(
        await signer.sign({
          op: 'card.read',
          origin: 'https://x.example',
          nik: '3171012501900001',
          chipSerial: 'AA',
          documentSignature: 'valid',
        }),
      );
    }
    writeFileSync(file, `${receipts.join('\n')}\n`);
    // the output of `keys show`
    writeFileSync(keyFile, JSON.stringify({ deviceId: key.deviceId, publicKey: key.publicJwk }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a whole chain from a file (device key from the data directory)', async () => {
    const r = await cli(['receipt', 'verify', '--device-key-from', dir, '--from-genesis', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/chain ok \(3 receipts\)/);
    expect(r.stdout).not.toContain('3171012501900001');
  });

  it('finds a removed receipt given as arguments, with a JWK file (--json)', async () => {
    const r = await cli(['receipt', 'verify', '--key', keyFile, '--json', receipts[0], receipts[2]]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^RECEIPT_INVALID: receipt #1/m);
    const out = JSON.parse(r.stdout);
    expect(out.chain).toMatchObject({ ok: false, brokenAt: 1 });
    expect(out.receipts.map((x: { valid: boolean }) => x.valid)).toEqual([true, true]);
  });

  it('needs exactly one key source and never makes a key', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'receipt-cli-empty-'));
    try {
      const r = await cli(['receipt', 'verify', '--device-key-from', empty, file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/INVALID_PARAMS: .* has no device key/);
      expect((await cli(['receipt', 'verify', file])).stderr).toMatch(/exactly one of/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
