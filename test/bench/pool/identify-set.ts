/**
 * A 1:N test set with a known mate for every probe, for measuring top-1 accuracy at gallery scale:
 * the gallery holds one enrolment touch (a normal impression, the finger's scars and creases
 * included) of each synthetic finger of the hard mix (simulator/fingerprints/hard-mix.ts, seed 1);
 * the probes are hard-mix touches 1 and 2 (distorted, rotated, partial, dry, wet, or normal) of the
 * first fingers, extracted by our extractor like any live image. The gallery is read back in a fixed
 * shuffled order, so that the mates are spread through it.
 *
 * Making a finger costs ~0.1 s of CPU (master, impression, extraction), so fingers are made by
 * `jobs` child processes and appended to a JSON-lines file outside the repo; a later run resumes
 * it. When fewer fingers exist than the gallery asks for, the rest of the gallery is filled with
 * MIRRORED enrolments (x flipped): a mirror image is no rigid transform of the print, so it is
 * another finger to the matcher, with the same local statistics as a real one. The bench says how
 * many entries are mirrors.
 *   npx tsx test/bench/pool/identify-set.ts --out /tmp/ektp-identify-set.jsonl [--fingers 10000] [--probes 200] [--jobs 2]
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import {
  drawSkinMarks,
  hardMixFinger,
  hardMixFingerSeed,
  makeMasterFinger,
  renderImpression,
} from '../../../simulator/fingerprints/index.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { numOpt, opt } from '../args.ts';

export const MIX_SEED = 1;
/** hard-mix touches used as probes of each of the first fingers */
export const PROBE_TOUCHES = [1, 2] as const;

export interface Probe {
  mate: number;
  touch: number;
  conditions: string[];
  set: MinutiaeSet;
}

export interface IdentifySet {
  /** in a fixed shuffled order (see readIdentifySet) */
  gallery: MinutiaeSet[];
  /** how many entries are distinct fingers; the others are mirrored copies of them */
  mirroredFrom: number;
  /** probes[k].mate is the gallery index of the probe's finger */
  probes: Probe[];
}

/** One line of the file: finger i's enrolment, and its probes when it is one of the first. */
interface FingerLine {
  i: number;
  enrolment: MinutiaeSet;
  probes: Probe[];
}

function plain(t: MinutiaeSet): MinutiaeSet {
  const { width, height, dpiX, dpiY, quality, fingerPosition } = t;
  return { width, height, dpiX, dpiY, quality, fingerPosition, minutiae: t.minutiae.map((m) => ({ ...m })) };
}

/** Enrolment touch of finger i (0-based): impression 0 without hard conditions. */
function enrolment(i: number): MinutiaeSet {
  const master = makeMasterFinger(hardMixFingerSeed(MIX_SEED, i + 1));
  return plain(extractMinutiae(renderImpression(master, 0, { marks: drawSkinMarks(master) })));
}

function probeOf(i: number, touch: number): Probe {
  const { image, conditions } = hardMixFinger(MIX_SEED, i + 1).impression(touch);
  return { mate: i, touch, conditions, set: plain(extractMinutiae(image)) };
}

/** x flipped: angle θ (counter-clockwise from +x) becomes π − θ. */
function mirrored(s: MinutiaeSet): MinutiaeSet {
  return {
    ...s,
    minutiae: s.minutiae.map((m) => ({
      ...m,
      x: s.width - 1 - m.x,
      angle: (3 * Math.PI - m.angle) % (2 * Math.PI),
    })),
  };
}

function readLines(file: string): Map<number, FingerLine> {
  const out = new Map<number, FingerLine>();
  if (!fs.existsSync(file)) return out;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      const f = JSON.parse(line) as FingerLine;
      out.set(f.i, f);
    } catch {
      // a line cut short by an interrupted run: that finger is made again
    }
  }
  return out;
}

/**
 * The set from what `file` holds: the gallery takes
 * the fingers present in order (0, 1, 2, ... up to the first gap) and fills up to `gallery` with
 * mirrors of them; the probes are those of the first `probes` of these fingers.
 */
export function readIdentifySet(file: string, gallery: number, probes: number): IdentifySet | undefined {
  const lines = readLines(file);
  const fingers: MinutiaeSet[] = [];
  const list: Probe[] = [];
  for (let i = 0; i < gallery && lines.has(i); i++) {
    fingers.push(lines.get(i)!.enrolment);
    if (i < probes) list.push(...lines.get(i)!.probes);
  }
  if (fingers.length === 0) return undefined;
  const mirroredFrom = fingers.length;
  for (let k = 0; fingers.length < gallery; k++) fingers.push(mirrored(fingers[k]));
  // Shuffled, so that the probes' mates (the first fingers) are not the first entries: the
  // shortlist breaks ties at its cut by gallery order, which would otherwise favour them.
  const at = shuffledPositions(fingers.length);
  const shuffled: MinutiaeSet[] = new Array(fingers.length);
  for (let i = 0; i < fingers.length; i++) shuffled[at[i]] = fingers[i];
  for (const p of list) p.mate = at[p.mate];
  return { gallery: shuffled, mirroredFrom, probes: list };
}

/** A fixed permutation of 0..n-1 (Fisher-Yates with a small seeded generator): where entry i goes. */
function shuffledPositions(n: number): Int32Array {
  const at = Int32Array.from({ length: n }, (_, i) => i);
  let state = 0x9e3779b9;
  const next = (): number => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = at[i];
    at[i] = at[j];
    at[j] = t;
  }
  return at;
}

/** Makes the fingers `file` lacks among 0..fingers-1, `jobs` child processes appending lines. */
export async function buildIdentifySet(
  file: string,
  fingers: number,
  probes: number,
  jobs: number,
): Promise<void> {
  const have = readLines(file);
  const missing = Array.from({ length: fingers }, (_, i) => i).filter((i) => !have.has(i));
  await Promise.all(
    Array.from(
      { length: jobs },
      (_, j) =>
        new Promise<void>((resolve, reject) => {
          const mine = missing.filter((_, k) => k % jobs === j);
          const child = fork(import.meta.filename, ['--part', file, String(probes), mine.join(',')], {
            execArgv: process.execArgv,
            stdio: 'inherit',
          });
          child.on('exit', (code) =>
            code === 0 ? resolve() : reject(new Error(`job ${j} exited with ${code}`)),
          );
        }),
    ),
  );
}

function runPart(file: string, probes: number, list: number[]): void {
  const t0 = performance.now();
  let made = 0;
  for (const i of list) {
    const line: FingerLine = { i, enrolment: enrolment(i), probes: [] };
    if (i < probes) for (const t of PROBE_TOUCHES) line.probes.push(probeOf(i, t));
    // one write per line: lines of the two jobs never interleave within a line
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
    if (++made % 250 === 0)
      console.error(
        `job: ${made} of ${list.length} fingers, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
  }
}

if (process.argv[1]?.endsWith('identify-set.ts')) {
  const a = process.argv.slice(2);
  if (a[0] === '--part') runPart(a[1], Number(a[2]), a[3] ? a[3].split(',').map(Number) : []);
  else {
    const file = opt('out') ?? '/tmp/ektp-identify-set.jsonl';
    const t0 = performance.now();
    await buildIdentifySet(file, numOpt('fingers', 10000), numOpt('probes', 200), numOpt('jobs', 2));
    console.log(
      `${file}: ${readLines(file).size} fingers, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
}
