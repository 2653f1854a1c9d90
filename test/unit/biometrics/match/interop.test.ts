import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeIso19794_2 } from '../../../../protocols/biometrics/iso19794-2.ts';
import { fvcSetDpi } from '../../../../src/biometrics/eval/dataset.ts';
import { isoTemplateOnImage } from '../../../../src/biometrics/eval/template-geometry.ts';
import { extractMinutiae } from '../../../../src/biometrics/extract/index.ts';
import { decodeImage } from '../../../../src/biometrics/image/index.ts';
import { compare, DEFAULT_THRESHOLD } from '../../../../src/biometrics/match/index.ts';
import { fvcDir, fvcPresent } from './fixtures.ts';

/**
 * Another vendor's templates: the SecuGen .iso records were extracted from the image squeezed to
 * 300x400 (different minutia density, 1.4° angle steps, unequal axis scaling). Our extraction of one
 * impression must match the commercial template of another, as a live finger meets a card.
 */
function live(set: string, id: string) {
  const dir = path.join(fvcDir, set);
  return extractMinutiae(
    decodeImage(readFileSync(path.join(dir, `${id}.tif`)), { defaultDpi: fvcSetDpi(dir) }),
  );
}

function card(set: string, id: string) {
  const dir = path.join(fvcDir, set);
  const image = decodeImage(readFileSync(path.join(dir, `${id}.tif`)), { defaultDpi: fvcSetDpi(dir) });
  return isoTemplateOnImage(decodeIso19794_2(readFileSync(path.join(dir, `${id}.iso`))), image);
}

describe.skipIf(!fvcPresent)("our extraction against another vendor's templates", () => {
  it('matches the commercial template of another impression of the same finger', () => {
    const cases: [string, string, string][] = [
      ['DB1_B', '101_1', '101_2'],
      ['DB1_B', '104_1', '104_3'],
      ['DB2_B', '102_1', '102_2'],
      ['DB2_B', '106_1', '106_4'],
    ];
    let matched = 0;
    for (const [set, a, b] of cases) if (compare(live(set, a), card(set, b)) >= DEFAULT_THRESHOLD) matched++;
    expect(matched).toBeGreaterThanOrEqual(3);
  });

  it('does not match the commercial templates of other fingers', () => {
    const probe = live('DB1_B', '101_1');
    for (const other of ['102_1', '103_2', '105_4', '108_1', '110_6']) {
      expect(compare(probe, card('DB1_B', other))).toBeLessThan(DEFAULT_THRESHOLD);
    }
  });
});
