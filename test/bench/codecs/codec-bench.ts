/**
 * Codec and image figures on FVC2002 "B": ISO/IEC 19794-2 decode/encode, compact-card encode,
 * TIFF decode, resampling DB2_B (569 dpi) to 500 dpi, PNG encode for finger.capture.
 * Run: npx tsx test/bench/codecs/codec-bench.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { encodeCompactCard } from '../../../protocols/biometrics/compact-card.ts';
import { decodeIso19794_2, encodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import { decodeImage, encodePng, resampleTo500dpi } from '../../../src/biometrics/image/index.ts';
import { FVC_DIR } from '../../shared-data.ts';

const root = FVC_DIR;
const sets = ['DB1_B', 'DB2_B', 'DB3_B', 'DB4_B'];
const files = (ext: string) =>
  sets.flatMap((s) =>
    readdirSync(path.join(root, s))
      .filter((f) => f.endsWith(ext))
      .map((f) => path.join(root, s, f)),
  );

function time(label: string, count: number, fn: () => void, rounds = 5): void {
  fn(); // warm-up
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    per.push((performance.now() - t0) / count);
  }
  per.sort((a, b) => a - b);
  console.log(
    `${label}: median ${(per[Math.floor(rounds / 2)] * 1000).toFixed(1)} µs per item (${count} items)`,
  );
}

const isoBytes = files('.iso').map((f) => new Uint8Array(readFileSync(f)));
const isoSets = isoBytes.map((b) => decodeIso19794_2(b));
time('ISO 19794-2 decode', isoBytes.length, () => {
  for (const b of isoBytes) decodeIso19794_2(b);
});
time('ISO 19794-2 encode', isoSets.length, () => {
  for (const s of isoSets) encodeIso19794_2(s);
});
time('compact card encode', isoSets.length, () => {
  for (const s of isoSets) encodeCompactCard(s);
});

const tiffs = files('.tif')
  .filter((_, i) => i % 4 === 0)
  .map((f) => readFileSync(f));
time('TIFF decode (FVC, 8-bit grey)', tiffs.length, () => {
  for (const t of tiffs) decodeImage(t);
});
const db2 = files('.tif')
  .filter((f) => f.includes('DB2_B'))
  .slice(0, 10)
  .map((f) => decodeImage(readFileSync(f), { defaultDpi: 569 }));
time('resample DB2_B 296x560 @569 -> 260x492 @500', db2.length, () => {
  for (const img of db2) resampleTo500dpi(img);
});
const db1 = files('.tif')
  .filter((f) => f.includes('DB1_B'))
  .slice(0, 10)
  .map((f) => decodeImage(readFileSync(f)));
time('encodePng 388x374 grey with pHYs', db1.length, () => {
  for (const img of db1) encodePng(img);
});
console.log(`PNG size of DB1_B 101_1: ${encodePng(db1[0]).length} bytes (raw ${db1[0].pixels.length})`);
