/**
 * The package against the vectors of docs/receipts-and-tickets.md: every valid vector passes, every
 * invalid one fails at the stated entry for the stated reason. (The same vectors are checked by
 * test/unit/receipts/independent-check.test.ts with code that shares nothing with this package.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkTicket,
  RECEIPT_GENESIS,
  receiptHash,
  VerificationError,
  verifyReceipt,
  verifyReceiptChain,
} from '../src/index.ts';

const VECTORS = join(import.meta.dirname, '../../../test/vectors');
const read = (p: string) => JSON.parse(readFileSync(join(VECTORS, p), 'utf8'));
const { keys } = read('keys.json');

interface Outcome {
  expect: 'valid' | 'invalid';
  reason?: string;
  index?: number;
}

/** the manifest's procedure for one receipt vector file */
async function runReceiptVector(file: string, now: number): Promise<Outcome> {
  const v = read(`receipts/${file}`);
  let expected: string | undefined = v.fromGenesis ? RECEIPT_GENESIS : undefined;
  for (let i = 0; i < v.entries.length; i++) {
    const { jws, card, image, candidates, nonce } = v.entries[i];
    try {
      const c = await verifyReceipt(jws, keys.device.publicJwk, { card, image, candidates, nonce, now });
      if (expected !== undefined && c.prev !== expected)
        return { expect: 'invalid', reason: 'CHAIN_BROKEN', index: i };
    } catch (e) {
      if (!(e instanceof VerificationError)) throw e;
      return { expect: 'invalid', reason: e.reason, index: i };
    }
    expected = receiptHash(jws);
  }
  return { expect: 'valid' };
}

describe('receipt vectors', () => {
  const manifest = read('receipts/manifest.json');
  it.each(manifest.vectors as (Outcome & { file: string })[])('$file: $expect $reason', async (vec) => {
    const got = await runReceiptVector(vec.file, manifest.now);
    expect(got).toEqual(
      vec.expect === 'valid'
        ? { expect: 'valid' }
        : { expect: 'invalid', reason: vec.reason, index: vec.index },
    );
  });

  it.each(manifest.vectors as (Outcome & { file: string })[])(
    'verifyReceiptChain, entries with what was forwarded: $file: $expect $reason',
    async (vec) => {
      const v = read(`receipts/${vec.file}`);
      const r = await verifyReceiptChain(v.entries, keys.device.publicJwk, {
        fromGenesis: v.fromGenesis,
        now: manifest.now,
      });
      expect(r.ok ? { expect: 'valid' } : { expect: 'invalid', reason: r.reason, index: r.brokenAt }).toEqual(
        vec.expect === 'valid'
          ? { expect: 'valid' }
          : { expect: 'invalid', reason: vec.reason, index: vec.index },
      );
    },
  );

  it('has valid vectors and every kind of invalid one', () => {
    const reasons = new Set(manifest.vectors.map((v: Outcome) => v.reason).filter(Boolean));
    expect(manifest.vectors.filter((v: Outcome) => v.expect === 'valid').length).toBeGreaterThanOrEqual(3);
    for (const r of [
      'BAD_SIGNATURE',
      'ALG_NOT_ES256',
      'CHAIN_BROKEN',
      'CARD_DIGEST_MISMATCH',
      'IMAGE_DIGEST_MISMATCH',
      'CANDIDATES_DIGEST_MISMATCH',
      'WRONG_ISSUER',
      'NONCE_MISMATCH',
      'MALFORMED',
      'MISSING_CLAIM',
      'IAT_IN_FUTURE',
    ])
      expect(reasons).toContain(r);
  });
});

describe('ticket vectors', () => {
  const manifest = read('tickets/manifest.json');
  it.each(manifest.vectors as (Outcome & { file: string })[])('$file: $expect $reason', async (vec) => {
    const { tickets } = read(`tickets/${vec.file}`);
    const seenNonces = new Set<string>();
    const ctx = { ...manifest.context, seenNonces };
    for (const t of tickets.slice(0, -1)) await checkTicket(t, [keys.backend.publicJwk], ctx);
    const last = checkTicket(tickets.at(-1), [keys.backend.publicJwk], ctx);
    if (vec.expect === 'valid') await expect(last).resolves.toMatchObject({ origin: ctx.origin });
    else await expect(last).rejects.toMatchObject({ reason: vec.reason });
  });
});
