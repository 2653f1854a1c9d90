/**
 * npm run bench:audit — what keying the audit trail costs: appends (one at a time, each fdatasync'd;
 * and 2000 concurrent, group commit) without and with the device key (mac per entry, signed
 * checkpoints), and `audit verify` over a rotated trail. Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AuditKey,
  auditKeyFromDeviceKey,
  chainFiles,
  openAuditLog,
  verifyAuditLog,
} from '../../../src/audit/index.ts';
import { loadOrCreateDeviceKey } from '../../../src/keys/device-key.ts';

const REC = {
  op: 'finger.verify' as const,
  origin: 'https://eklaim.example.go.id',
  nonce: 'n',
  nik: '3171012501900001',
  chipSerial: '04A1B2',
  documentSignature: 'valid' as const,
  matched: true,
  finger: 2,
  score: 60,
  threshold: 40,
  sensor: 'sim-0',
  receiptHash: 'x'.repeat(43),
};

const dir = mkdtempSync(join(tmpdir(), 'bench-audit-'));
const line = (label: string, value: string) => console.log(`${label.padEnd(72)} ${value}`);
try {
  const key = auditKeyFromDeviceKey(await loadOrCreateDeviceKey(dir));
  for (const [name, k] of [
    ['unkeyed', undefined],
    ['keyed', key],
  ] as [string, AuditKey | undefined][]) {
    const path = join(dir, `${name}.log`);
    const log = await openAuditLog(path, { key: k, checkpointEvery: 1000 });
    let t0 = performance.now();
    for (let i = 0; i < 200; i++) await log.append(REC);
    let ms = performance.now() - t0;
    line(`append ${name}, one at a time (fdatasync each)`, `${(ms / 200).toFixed(2)} ms/op`);
    t0 = performance.now();
    await Promise.all(Array.from({ length: 2000 }, () => log.append(REC)));
    ms = performance.now() - t0;
    line(`append ${name}, 2000 concurrent (group commit)`, `${Math.round(2_000_000 / ms)} op/s`);
    await log.close();
  }

  // a trail of 50,000 entries rotated at 1 MiB, then verified whole
  const path = join(dir, 'trail', 'audit.log');
  const log = await openAuditLog(path, { key, rotate: { maxBytes: 1 << 20 } });
  for (let i = 0; i < 50; i++) await Promise.all(Array.from({ length: 1000 }, () => log.append(REC)));
  await log.close();
  const files = chainFiles(path);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  await verifyAuditLog(path); // warm-up: page cache and JIT, so both passes below start equal
  for (const [label, opts] of [
    ['hash chain only', {}],
    ['with macs and checkpoint signatures', { macKey: key.macKey, publicKey: key.publicKey }],
  ] as const) {
    const t0 = performance.now();
    const r = await verifyAuditLog(path, opts);
    const ms = performance.now() - t0;
    if (!r.ok) throw new Error(`bench trail does not verify: ${r.reason}`);
    line(
      `verify ${r.entries} entries, ${files.length} files, ${(bytes / 2 ** 20).toFixed(1)} MiB: ${label}`,
      `${ms.toFixed(0)} ms (${Math.round((r.entries / ms) * 1000)} entries/s)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
