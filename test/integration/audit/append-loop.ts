/**
 * Child process of crash.test.ts: appends audit entries forever from a few concurrent writers and
 * prints "acked <nonce>" after each append resolves. The parent SIGKILLs it at random moments.
 * Usage: tsx append-loop.ts <log path> <round>
 */
import { openAuditLog } from '../../../src/audit/index.ts';

const [path, round] = process.argv.slice(2);
const log = await openAuditLog(path);
process.stdout.write('ready\n');

async function writer(w: number): Promise<never> {
  for (let i = 0; ; i++) {
    const nonce = `${round}:${w}:${i}`;
    await log.append({
      op: 'finger.verify',
      origin: 'https://eklaim.example.go.id',
      nonce,
      nik: '3171012501900001',
      chipSerial: '04A1B2',
      documentSignature: 'valid',
      matched: i % 2 === 0,
      score: i,
      receiptHash: 'x'.repeat(43),
    });
    process.stdout.write(`acked ${nonce}\n`);
  }
}

await Promise.all([0, 1, 2, 3].map(writer));
