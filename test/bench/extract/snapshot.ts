/**
 * Dev script for exact-output speed work on the extractor: writes the minutiae of every FVC2002 B
 * image to a JSON file, or, given an earlier file, reports every image whose minutiae differ.
 *   npx tsx test/bench/extract/snapshot.ts write /tmp/before.json
 *   npx tsx test/bench/extract/snapshot.ts check /tmp/before.json
 */
import fs from 'node:fs';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { datasetPresent, imageNames, readFvcImage, SETS } from './dataset.ts';

const [mode, file] = process.argv.slice(2);
if (!datasetPresent()) {
  console.log('FVC2002 data not found under ../shared/datasets/fvc2002-b: nothing to compare');
  process.exit(0);
}
if ((mode !== 'write' && mode !== 'check') || !file) {
  console.log('usage: snapshot.ts write|check FILE');
  process.exit(2);
}
const out: Record<string, unknown> = {};
for (const set of SETS) {
  for (const name of imageNames(set)) {
    const r = extractMinutiae(readFvcImage(set, name));
    out[`${set}/${name}`] = { q: r.imageQuality, f: r.foregroundRatio, m: r.minutiae };
  }
}
if (mode === 'write') {
  fs.writeFileSync(file, JSON.stringify(out));
  console.log(`${Object.keys(out).length} extractions written to ${file}`);
} else {
  const before = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const differ = Object.keys(out).filter((k) => JSON.stringify(out[k]) !== JSON.stringify(before[k]));
  console.log(
    `${Object.keys(out).length} extractions, ${differ.length} differ${differ.length ? `: ${differ.slice(0, 20).join(' ')}` : ''}`,
  );
  process.exitCode = differ.length ? 1 : 0;
}
