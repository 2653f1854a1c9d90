/**
 * Chunked reads at awkward file sizes (property): around the 224-byte protected chunk and the 256-byte
 * clear chunk, the first read alone, exact multiples, one byte over. The simulated card refuses any
 * chunk that breaks §7 (67 00), and the SAM's verdict proves every byte was hashed exactly once.
 */
import { createPrivateKey, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signedMessage } from '../../../../protocols/ektp/document-signature.ts';
import { frameFile } from '../../../../protocols/ektp/files.ts';
import { readEktp } from '../../../../protocols/ektp/read-sequence.ts';
import { hex } from '../../../../protocols/iso7816/bytes.ts';
import { SimulatedCard } from '../../../../simulator/ektp/card.ts';
import type { CardFiles } from '../../../../simulator/ektp/card-files.ts';
import { runInProcess } from '../../../../simulator/ektp/run-in-process.ts';
import { issueCard } from '../../../../simulator/residents/issue-card.ts';
import { keys, openedSam, resident } from './helpers.ts';

const base = issueCard(resident, keys);

function withContents(photo: Uint8Array, signature: Uint8Array): CardFiles {
  const f = { ...base.files, PHOTO: frameFile(photo), SIGNATURE: frameFile(signature) };
  const ds = sign(
    'sha256',
    signedMessage({
      biodata: f.BIODATA,
      photo: f.PHOTO,
      signature: f.SIGNATURE,
      minutiae1: f.MINUTIAE1,
      minutiae2: f.MINUTIAE2,
    }),
    { key: createPrivateKey(keys.issuerPrivateKeyPkcs8Pem), dsaEncoding: 'ieee-p1363' },
  );
  return { ...base, files: { ...f, DS: frameFile(new Uint8Array(ds)) } };
}

// Content sizes whose file size (content + 2) sits on or next to a chunk boundary.
const edge = (chunk: number) =>
  fc.oneof(
    fc.integer({ min: 1, max: 3 * chunk }),
    fc
      .integer({ min: 1, max: 6 })
      .chain((k) => fc.integer({ min: -2, max: 2 }).map((d) => Math.max(1, k * chunk - 2 + d))),
  );

describe('chunked reads at awkward sizes (property)', () => {
  it('read whole, within §7 limits, with a valid document signature', () => {
    const sam = openedSam();
    fc.assert(
      fc.property(edge(256), edge(224), fc.integer({ min: 0, max: 255 }), (photoSize, sigSize, fill) => {
        const photo = new Uint8Array(photoSize).fill(fill);
        const signature = new Uint8Array(sigSize).map((_, i) => (i * 31 + fill) & 0xff);
        const card = new SimulatedCard({
          resident,
          masterKey: keys.masterKey,
          files: withContents(photo, signature),
        });
        card.powerOn();
        const r = runInProcess(readEktp({ fields: ['biodata', 'photo', 'signature', 'fingers'] }), {
          card,
          sam,
        });
        expect(r.photo!.length).toBe(photoSize);
        expect(hex(r.signature!.bytes)).toBe(hex(signature));
        expect(r.documentSignature).toBe('valid');
      }),
      { numRuns: 40 },
    );
  });
});
