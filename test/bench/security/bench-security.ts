/**
 * Figures for the ticket check, receipt signing and the audit trail on this machine.
 * Run: npx tsx test/bench/security/bench-security.ts
 * Prints per-operation latency; the disk-bound figures (receipt chain head, audit fdatasync) depend
 * on the file system under os.tmpdir().
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK } from 'jose';
import { openAuditLog } from '../../../src/audit/index.ts';
import { loadOrCreateDeviceKey } from '../../../src/keys/device-key.ts';
import { createReceiptSigner, verifyReceipt } from '../../../src/receipts/index.ts';
import { createTicketVerifier, mintTicket } from '../../../src/security/tickets.ts';

const dir = mkdtempSync(join(tmpdir(), 'bench-security-'));
const ORIGIN = 'https://eklaim.example.go.id';

async function time(label: string, n: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(
    `${label.padEnd(44)} n=${String(n).padStart(5)}  ${(ms / n).toFixed(3)} ms/op  ${Math.round((n * 1000) / ms)} op/s`,
  );
}

try {
  const backend = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const others = Array.from({ length: 2 }, () => generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  const keys = [...others.map((k) => k.publicKey), backend.publicKey];
  const verify = createTicketVerifier({
    keys: await Promise.all(keys.map(async (k) => (await exportJWK(k)) as never)),
    deviceId: 'dev',
    requireTickets: true,
  });
  const N = 2000;
  const iat = Math.floor(Date.now() / 1000);
  const tickets = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      mintTicket(backend.privateKey, {
        aud: 'dev',
        origin: ORIGIN,
        op: 'card.read',
        scope: ['biodata'],
        nonce: `n${i}`,
        iat,
        exp: iat + 120,
      }),
    ),
  );
  const ctx = { origin: ORIGIN, requestId: 1 };
  await time('ticket verify (3 keys, right one last)', N, (i) =>
    verify('card.read', { ticket: tickets[i] }, ctx),
  );
  await time('ticket refused early (alg none)', N, (i) =>
    verify('card.read', { ticket: `eyJhbGciOiJub25lIn0.e30.x${i}` }, ctx).catch(() => undefined),
  );

  const key = await loadOrCreateDeviceKey(dir);
  const signer = createReceiptSigner({ deviceKey: key, chainFile: join(dir, 'receipt-chain.json') });
  const input = {
    op: 'finger.verify' as const,
    origin: ORIGIN,
    nonce: 'n',
    nik: '3171012501900001',
    chipSerial: 'AA',
    documentSignature: 'valid' as const,
    matched: true,
    finger: 2,
    score: 60,
    threshold: 40,
    sensor: 's',
  };
  let last = '';
  await time('receipt sign (+ chain head fsync)', 100, async () => {
    last = await signer.sign(input);
  });
  await time('verifyReceipt', 1000, () => verifyReceipt(last, key.publicJwk));

  const log = await openAuditLog(join(dir, 'audit.log'));
  const rec = {
    op: 'card.read' as const,
    origin: ORIGIN,
    nonce: 'n',
    nik: '3171012501900001',
    chipSerial: 'AA',
    receiptHash: 'h',
  };
  await time('audit append, one at a time (fdatasync each)', 200, () => log.append(rec));
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 2000 }, () => log.append(rec)));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(
    `${'audit append, 2000 concurrent (group commit)'.padEnd(44)} total ${ms.toFixed(0)} ms  ${Math.round(2000_000 / ms)} op/s`,
  );
  await log.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
