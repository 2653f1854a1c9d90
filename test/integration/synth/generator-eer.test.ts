import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { syntheticFinger } from '../../../simulator/fingerprints/index.ts';
import { fvcSetDpi } from '../../../src/biometrics/eval/dataset.ts';
import {
  genuinePairs,
  type Impression,
  impostorPairs,
  listImpressions,
} from '../../../src/biometrics/eval/protocol.ts';
import { equalErrorRate } from '../../../src/biometrics/eval/rates.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { decodeImage } from '../../../src/biometrics/image/index.ts';
import { compare } from '../../../src/biometrics/match/index.ts';
import { FVC_DIR } from '../../shared-data.ts';

const DB4 = path.join(FVC_DIR, 'DB4_B');
/** NBIS on DB4_B (SOURCE.md), the fallback bar when ../shared is absent */
const NBIS_DB4_EER = 0.054;

function eer(list: Impression[], templates: Map<string, MinutiaeSet>): number {
  const score = (a: Impression, b: Impression) => compare(templates.get(a.id)!, templates.get(b.id)!);
  return equalErrorRate(
    genuinePairs(list).map((p) => score(p.a, p.b)),
    impostorPairs(list).map((p) => score(p.a, p.b)),
  );
}

/**
 * Issue 4, item 6: on 100 synthetic fingers with 4 impressions each, the project's matcher separates
 * genuine from impostor pairs with an EER no worse than on FVC2002 DB4_B (itself synthetic).
 * All pairs: 600 genuine, 79,200 impostor.
 */
describe('synthetic fingerprint generator against the matcher', () => {
  it('gives an EER on 100 fingers x 4 impressions no worse than FVC2002 DB4_B', { timeout: 900_000 }, () => {
    const list: Impression[] = [];
    const templates = new Map<string, MinutiaeSet>();
    for (let f = 0; f < 100; f++) {
      const finger = syntheticFinger(1 + f);
      for (let i = 1; i <= 4; i++) {
        const id = `${f}_${i}`;
        templates.set(id, extractMinutiae(finger.impression(i)));
        list.push({ id, finger: String(f), impression: i });
      }
    }
    const synthetic = eer(list, templates);

    let bar = NBIS_DB4_EER;
    let barName = 'NBIS on DB4_B (../shared absent)';
    if (existsSync(DB4)) {
      const db4 = listImpressions(readdirSync(DB4), 'tif');
      const db4Templates = new Map<string, MinutiaeSet>();
      for (const imp of db4) {
        const img = decodeImage(readFileSync(path.join(DB4, `${imp.id}.tif`)), {
          defaultDpi: fvcSetDpi(DB4),
        });
        db4Templates.set(imp.id, extractMinutiae(img));
      }
      bar = eer(db4, db4Templates);
      barName = 'this matcher on DB4_B';
    } else {
      console.warn('../shared/datasets/fvc2002-b/DB4_B absent: comparing with the NBIS figure instead');
    }
    console.log(`synthetic EER ${(synthetic * 100).toFixed(2)}% vs ${barName} ${(bar * 100).toFixed(2)}%`);
    expect(synthetic).toBeLessThanOrEqual(bar);
  });
});
