import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { GrayImage, MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../protocols/errors.ts';
import { LIVE_VIEWS } from '../extract/parameters.ts';
import { decodeImage } from '../image/index.ts';
import { THRESHOLDS } from '../match/thresholds.ts';
import type { AttemptInput } from '../verify-policy/decide.ts';
import { type ImpostorTailsFile, loadImpostorTails } from '../verify-policy/impostor-tails.ts';
import { planVerify, type VerifyCombine } from '../verify-policy/plan.ts';
import { attemptRejection, type QualityGate } from '../verify-policy/quality-gate.ts';
import { untaggedImageDpi } from './dataset.ts';
import { inParallel } from './in-parallel.ts';
import { liveScores, type ScoringEngine } from './live-scores.ts';
import { measureImpostorTails } from './measure-tails.ts';
import {
  compareImpressions,
  genuinePairs,
  type Impression,
  impostorPairs,
  listImpressions,
  type Pair,
} from './protocol.ts';
import { equalErrorRate, fnmrAtFmr, median, percentile, thresholdAtFmr } from './rates.ts';
import { isoTemplateOnImage } from './template-geometry.ts';
import { runClaims, runTransactions, type TransactionReport, verifyClaims } from './transactions.ts';

/**
 * The two operations an evaluation needs. The CLI passes the MatchPool (so extraction and comparison
 * run on worker threads exactly as in the daemon); tests may pass anything with the same shape.
 */
export interface EvalEngine extends ScoringEngine {
  /** the image's live view `view` (extract/live-views.ts; 0, the default, is the extraction itself) */
  extract(image: GrayImage, view?: number): Promise<MinutiaeSet>;
}

/** 'images': our extraction on both sides; 'iso': our extraction of one impression against the .iso template of the other. */
export type EvalMode = 'images' | 'iso';

export interface EvalOptions {
  dataset: string;
  mode: EvalMode;
  /** image resolution when the files do not say; default from the FVC2002 set name, else 500 */
  dpi?: number;
  /** progress lines (stderr in the CLI); never personal data: file ids and counts only */
  progress?: (line: string) => void;
  /** the daemon's verify policy to measure over whole calls (verifyPolicy in the report) */
  policy?: EvalPolicy;
  /** also measure this folder's impostor tails (impostorTails in the report; eval --tails-out) */
  measureTails?: boolean;
}

/** What finger.verify is configured with (config: verify.*, finger.*). */
export interface EvalPolicy extends QualityGate {
  targetFmr: number;
  maxAttempts: number;
  /** how attempts combine (config verify.combine); default 'best', as the daemon */
  combine?: VerifyCombine;
  /** default: the measured tails shipped with the matcher */
  tails?: ImpostorTailsFile;
}

export interface EvalReport {
  dataset: string;
  mode: EvalMode;
  eer: number;
  fnmrAtFmr1pct: number;
  fnmrAtFmr01pct: number;
  genuinePairs: number;
  impostorPairs: number;
  extractMsMedian: number;
  extractMsP95: number;
  /** round trip of one 1:1 comparison through the engine (for the pool: worker hop + prepare + compare) */
  compareMsMedian: number;
  compareMsP95: number;
  /** score thresholds at which this dataset's impostors reach FMR 1% / 0.1% */
  thresholdAtFmr1pct: number;
  thresholdAtFmr01pct: number;
  /** FMR and FNMR at the matcher's shipped thresholds */
  atShippedThresholds: { name: string; threshold: number; fmr: number; fnmr: number }[];
  meanMinutiae: number;
  genuineScores: number[];
  impostorScores: number[];
  /** `${a.id}:${b.id}` per score, same order */
  genuineIds: string[];
  impostorIds: string[];
  /** the daemon's verify decision over whole calls (transactions.ts), when a policy was given */
  verifyPolicy?: TransactionReport;
  /** this folder's impostor tails in the mode run (measure-tails.ts), when asked for */
  impostorTails?: ImpostorTailsFile;
}

/** A refused image names its file (dataset file names, never personal data), code unchanged. */
async function namingTheFile<T>(file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof BridgeError)
      throw new BridgeError(e.code, `${file}: ${e.message}`, e.detail, { cause: e });
    throw e;
  }
}

async function timed<T>(f: () => Promise<T>, times: number[]): Promise<T> {
  const t0 = performance.now();
  const r = await f();
  times.push(performance.now() - t0);
  return r;
}

/** Image files eval reads, in order of preference when one impression comes in two formats. */
const IMAGE_EXTENSIONS = ['tif', 'tiff', 'png', 'bmp', 'pgm', 'jpg', 'jpeg'];

export async function runEval(engine: EvalEngine, opts: EvalOptions): Promise<EvalReport> {
  const say = opts.progress ?? (() => {});
  let files: string[];
  try {
    files = await readdir(opts.dataset);
  } catch (e) {
    throw new BridgeError('INVALID_PARAMS', `cannot read dataset folder ${opts.dataset}`, undefined, {
      cause: e,
    });
  }
  // file names as they are on disk, by their lower-case form (extensions come in either case)
  const named = new Map(files.map((f) => [f.toLowerCase(), f]));
  const fileNamed = (name: string) => named.get(name.toLowerCase());
  // every format the decoder reads (FVC2000-2004 ship TIFF, FVC2006 BMP, others PNG); an impression
  // found in two formats is taken once, in the order of IMAGE_EXTENSIONS
  const found = new Map<string, { imp: Impression; file: string }>();
  for (const ext of IMAGE_EXTENSIONS) {
    for (const imp of listImpressions(files, ext)) {
      if (!found.has(imp.id)) found.set(imp.id, { imp, file: fileNamed(`${imp.id}.${ext}`)! });
    }
  }
  const list = [...found.values()].map((v) => v.imp).sort(compareImpressions);
  if (list.length === 0) {
    throw new BridgeError(
      'INVALID_PARAMS',
      `no <finger>_<impression> images (${IMAGE_EXTENSIONS.join(', ')}) in ${opts.dataset}`,
    );
  }
  if (opts.mode === 'iso') {
    const missing = list.filter((i) => !fileNamed(`${i.id}.iso`));
    if (missing.length > 0) {
      throw new BridgeError(
        'INVALID_PARAMS',
        `--templates iso: ${missing.length} images have no .iso beside them`,
      );
    }
  }
  const fileOf = (imp: Impression) => found.get(imp.id)!.file;

  say(`extracting ${list.length} images${opts.dpi ? ` at ${opts.dpi} dpi` : ''}`);
  const resolutions = new Set<number>();
  const extractMs: number[] = [];
  const extracted = new Map<string, MinutiaeSet>();
  const liveViews = new Map<string, MinutiaeSet[]>();
  const isoTemplates = new Map<string, MinutiaeSet>();
  await inParallel(
    list.map(
      (imp) => () =>
        namingTheFile(fileOf(imp), async () => {
          const bytes = await readFile(path.join(opts.dataset, fileOf(imp)));
          // a file without a resolution: --dpi, else what the folder and the image's size say
          const image = decodeImage(bytes, {
            defaultDpi: opts.dpi ?? ((w, h) => untaggedImageDpi(opts.dataset, w, h)),
          });
          resolutions.add(Math.round(image.dpi));
          const geometry = { width: image.width, height: image.height, dpi: image.dpi };
          // the other live views (verify policy, tails) each need a copy: the engine may move pixels away
          const others =
            opts.policy || opts.measureTails
              ? LIVE_VIEWS.slice(1).map(() => ({ ...image, pixels: image.pixels.slice() }))
              : [];
          const first = await timed(() => engine.extract(image), extractMs);
          extracted.set(imp.id, first);
          const rest = await Promise.all(others.map((copy, i) => engine.extract(copy, i + 1)));
          liveViews.set(imp.id, [first, ...rest]);
          if (opts.mode === 'iso') {
            const iso = decodeIso19794_2(
              await readFile(path.join(opts.dataset, fileNamed(`${imp.id}.iso`)!)),
            );
            isoTemplates.set(imp.id, isoTemplateOnImage(iso, geometry));
          }
        }),
    ),
    engine.concurrency,
  );
  say(`images at ${[...resolutions].sort((a, b) => a - b).join(', ')} dpi`);

  // Mode iso: image side = the pair's first impression, template side = the second (genuine (i, j):
  // image i against template j), as a live finger meets the card's template.
  const probeOf = (imp: Impression) => extracted.get(imp.id)!;
  const candidateOf = (imp: Impression) => (opts.mode === 'iso' ? isoTemplates : extracted).get(imp.id)!;
  const genuine = genuinePairs(list);
  const impostor = impostorPairs(list);
  say(`comparing ${genuine.length} genuine and ${impostor.length} impostor pairs`);
  const compareMs: number[] = [];
  const score = (pairs: Pair[]) =>
    inParallel(
      pairs.map((p) => () => timed(() => engine.compare(probeOf(p.a), candidateOf(p.b)), compareMs)),
      engine.concurrency,
    );
  const genuineScores = await score(genuine);
  const impostorScores = await score(impostor);

  const viewsOf = (imp: Impression) => liveViews.get(imp.id)!;
  const verifyPolicy = opts.policy
    ? await measurePolicy(engine, list, opts.policy, viewsOf, candidateOf, say)
    : undefined;
  const impostorTails = opts.measureTails
    ? await measureImpostorTails(engine, list, viewsOf, candidateOf, opts, say)
    : undefined;

  const shipped = Object.entries(THRESHOLDS).map(([name, threshold]) => ({
    name,
    threshold,
    fmr: impostorScores.filter((s) => s >= threshold).length / impostorScores.length,
    fnmr: genuineScores.filter((s) => s < threshold).length / genuineScores.length,
  }));
  const sets = [...extracted.values()];
  return {
    dataset: opts.dataset,
    mode: opts.mode,
    eer: equalErrorRate(genuineScores, impostorScores),
    fnmrAtFmr1pct: fnmrAtFmr(genuineScores, impostorScores, 0.01),
    fnmrAtFmr01pct: fnmrAtFmr(genuineScores, impostorScores, 0.001),
    genuinePairs: genuine.length,
    impostorPairs: impostor.length,
    extractMsMedian: median(extractMs),
    extractMsP95: percentile(extractMs, 95),
    compareMsMedian: median(compareMs),
    compareMsP95: percentile(compareMs, 95),
    thresholdAtFmr1pct: thresholdAtFmr(impostorScores, 0.01),
    thresholdAtFmr01pct: thresholdAtFmr(impostorScores, 0.001),
    atShippedThresholds: shipped,
    meanMinutiae: sets.reduce((s, m) => s + m.minutiae.length, 0) / sets.length,
    genuineScores,
    impostorScores,
    genuineIds: genuine.map((p) => `${p.a.id}:${p.b.id}`),
    impostorIds: impostor.map((p) => `${p.a.id}:${p.b.id}`),
    verifyPolicy,
    ...(impostorTails && { impostorTails }),
  };
}

/**
 * Whole finger.verify calls (transactions.ts) decided by the daemon's own function: the card side is
 * impression 1 of each finger (its .iso record with --templates iso), the live side our extraction's
 * live views, each attempt scored as the daemon scores it (liveScores: the best view's).
 */
async function measurePolicy(
  engine: EvalEngine,
  list: Impression[],
  policy: EvalPolicy,
  viewsOf: (imp: Impression) => MinutiaeSet[],
  candidateOf: (imp: Impression) => MinutiaeSet,
  say: (line: string) => void,
): Promise<TransactionReport> {
  const plan = planVerify(
    { targetFmr: policy.targetFmr, maxAttempts: policy.maxAttempts, fingers: 2, combine: policy.combine },
    policy.tails ?? loadImpostorTails(),
  );
  // the calls are the claims' first calls (transactions.ts): built once, decided as both
  const claims = verifyClaims(list, plan.maxAttempts);
  const calls = claims.map((c) => c.calls[0]);
  const cards = [...new Map(calls.flatMap((c) => c.card).map((c) => [c.id, c])).values()];
  say(`verify policy: ${calls.length} calls against ${cards.length} card templates`);
  // every image, as a live capture, against every card template once
  const gallery = cards.map(candidateOf);
  const cardIndex = new Map(cards.map((c, i) => [c.id, i]));
  const scoresOf = new Map<string, number[]>();
  for (const live of list) scoresOf.set(live.id, await liveScores(engine, viewsOf(live), gallery));
  const attempt = (live: Impression, card: readonly Impression[]): AttemptInput => {
    // the quality gate looks at the capture's own template, the first view
    const rejected = attemptRejection(viewsOf(live)[0], policy);
    if (rejected) return { rejected };
    const scores = scoresOf.get(live.id)!;
    return { scores: card.map((c) => scores[cardIndex.get(c.id)!]) };
  };
  // the claims present the same impressions to the same cards: no comparison of their own
  return { ...runTransactions(calls, plan, attempt), claims: runClaims(claims, plan, attempt) };
}
