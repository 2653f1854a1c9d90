/**
 * Matcher-only accuracy: the commercial .iso templates of FVC2002 DB1_B..DB4_B against each other
 * (no extraction of ours involved), full FVC protocol. Prints EER and FNMR at FMR 1% / 0.1% per set.
 *   npx tsx test/bench/match/iso-vs-iso.ts [--json]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { fvcSetImageGeometry } from '../../../src/biometrics/eval/dataset.ts';
import { genuinePairs, impostorPairs, listImpressions } from '../../../src/biometrics/eval/protocol.ts';
import { equalErrorRate, fnmrAtFmr, thresholdAtFmr } from '../../../src/biometrics/eval/rates.ts';
import { isoTemplateOnImage } from '../../../src/biometrics/eval/template-geometry.ts';
import { compare } from '../../../src/biometrics/match/index.ts';
import { FVC_DIR } from '../../shared-data.ts';

const root = FVC_DIR;
if (!existsSync(root)) {
  console.error(`dataset not found at ${root}: nothing to measure`);
  process.exit(0);
}
const json = process.argv.includes('--json');
const sets = readdirSync(root).filter((d) => /^DB\d_B$/.test(d));
const pooledImpostor: number[] = [];
const report: Record<string, unknown> = {};
for (const set of sets) {
  const dir = path.join(root, set);
  const files = readdirSync(dir);
  const list = listImpressions(files, 'iso');
  const geometry = fvcSetImageGeometry(dir);
  const templates = new Map<string, MinutiaeSet>();
  for (const imp of list) {
    const raw = decodeIso19794_2(readFileSync(path.join(dir, `${imp.id}.iso`)));
    templates.set(imp.id, isoTemplateOnImage(raw, geometry));
  }
  const score = (a: string, b: string) => compare(templates.get(a)!, templates.get(b)!);
  const gen = genuinePairs(list).map((p) => score(p.a.id, p.b.id));
  const imp = impostorPairs(list).map((p) => score(p.a.id, p.b.id));
  pooledImpostor.push(...imp);
  const row = {
    eer: equalErrorRate(gen, imp),
    fnmrAtFmr1pct: fnmrAtFmr(gen, imp, 0.01),
    fnmrAtFmr01pct: fnmrAtFmr(gen, imp, 0.001),
    genuinePairs: gen.length,
    impostorPairs: imp.length,
  };
  report[set] = row;
  if (!json) {
    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    console.log(
      `${set}  EER ${pct(row.eer)}  FNMR@FMR1% ${pct(row.fnmrAtFmr1pct)}  FNMR@FMR0.1% ${pct(row.fnmrAtFmr01pct)}  (${gen.length} genuine, ${imp.length} impostor)`,
    );
  }
}
const thresholds = {
  fmr1pct: thresholdAtFmr(pooledImpostor, 0.01),
  fmr01pct: thresholdAtFmr(pooledImpostor, 0.001),
  fmr001pct: thresholdAtFmr(pooledImpostor, 0.0001),
  maxImpostor: Math.max(...pooledImpostor),
};
report.pooledImpostorThresholds = thresholds;
if (json) console.log(JSON.stringify(report, null, 2));
else console.log('thresholds on pooled impostor scores:', thresholds);
