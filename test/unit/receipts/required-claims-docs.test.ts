/**
 * The claims a receipt must have are stated twice, in docs/receipts-and-tickets.md ("Checking a
 * receipt", step 4: the contract) and in docs/security.md (why old receipts still verify): both
 * name the same set, and the checks refuse a receipt missing any one of them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VerificationError, verifyReceipt } from '../../../packages/verifier/src/index.ts';
import { REPO_ROOT } from '../../shared-data.ts';

const doc = (p: string) => readFileSync(join(REPO_ROOT, p), 'utf8').replace(/\s+/g, ' ');
const names = (text: string) => [...text.matchAll(/`(\w+)`/g)].map((m) => m[1]).sort();

const contract = names(
  /4\. payload is a JSON object — else `MALFORMED`; (.*?) — else `MISSING_CLAIM`/.exec(
    doc('docs/receipts-and-tickets.md'),
  )![1],
);
const security = names(
  /the checks (?:only require|require only) (.*?)(?:\)|, which every receipt)/.exec(
    doc('docs/security.md'),
  )![1],
);

describe('required receipt claims in the docs', () => {
  it('security.md names the same claims as the contract', () => {
    expect(contract).toEqual(['iat', 'iss', 'op', 'origin', 'prev']);
    expect(security).toEqual(contract);
  });

  it.each(contract)('a receipt without %s is MISSING_CLAIM', async (claim) => {
    const vectors = join(REPO_ROOT, 'test/vectors');
    const { keys } = JSON.parse(readFileSync(join(vectors, 'keys.json'), 'utf8'));
    const { now } = JSON.parse(readFileSync(join(vectors, 'receipts/manifest.json'), 'utf8'));
    const [jws] = JSON.parse(readFileSync(join(vectors, 'receipts/read-valid.json'), 'utf8')).entries.map(
      (e: { jws: string }) => e.jws,
    );
    const { createPrivateKey } = await import('node:crypto');
    const { CompactSign } = await import('jose');
    const claims = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8'));
    delete claims[claim];
    const resigned = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: keys.device.id })
      .sign(createPrivateKey({ key: keys.device.privateJwk, format: 'jwk' }));
    const e = await verifyReceipt(resigned, keys.device.publicJwk, { now }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(VerificationError);
    expect((e as VerificationError).reason).toBe('MISSING_CLAIM');
  });
});
