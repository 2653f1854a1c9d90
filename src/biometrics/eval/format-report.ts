import type { EvalReport } from './run-eval.ts';

/** A rate, or "n/a" when the set had nothing to measure it on (no genuine pairs, no impostor calls). */
const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? 'n/a' : `${(100 * x).toFixed(2)}%`);
const fixed = (x: number | null, digits: number) =>
  x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
const ms = (x: number) => `${x.toFixed(2)} ms`;

/** The human form of an evaluation (the CLI without --json). Score lists stay out: use --json. */
export function formatEvalReport(r: EvalReport): string {
  const mode = r.mode === 'iso' ? 'our extraction vs .iso templates' : 'our extraction on both images';
  const lines = [
    `dataset        ${r.dataset} (${mode})`,
    `pairs          ${r.genuinePairs} genuine, ${r.impostorPairs} impostor; ${r.meanMinutiae.toFixed(1)} minutiae per image on average`,
    `EER            ${pct(r.eer)}`,
    `FNMR@FMR1%     ${pct(r.fnmrAtFmr1pct)}   (threshold on this set ${fixed(r.thresholdAtFmr1pct, 3)})`,
    `FNMR@FMR0.1%   ${pct(r.fnmrAtFmr01pct)}   (threshold on this set ${fixed(r.thresholdAtFmr01pct, 3)})`,
    ...r.atShippedThresholds.map(
      (t) =>
        `${t.name.padEnd(14)} ${t.threshold.toFixed(3)}: FMR ${pct(t.fmr)}, FNMR ${pct(t.fnmr)} (shipped threshold)`,
    ),
    `extraction     median ${ms(r.extractMsMedian)}, p95 ${ms(r.extractMsP95)}`,
    `comparison     median ${ms(r.compareMsMedian)}, p95 ${ms(r.compareMsP95)} (1:1 round trip through the pool)`,
  ];
  const v = r.verifyPolicy;
  if (v) {
    lines.push(
      `verify policy  ${v.transactions.genuine} genuine / ${v.transactions.impostor} impostor calls, up to ${v.maxAttempts} attempts, rule ${v.combine}, target FMR ${pct(v.targetFmr)} per call`,
      `               FMR ${pct(v.fmr)} (${v.falseAccepts} false accepts), FNMR ${pct(v.fnmr)} (${v.falseRejects} false rejects), ${fixed(v.meanGenuineAttempts, 2)} attempts per genuine match`,
    );
    const c = v.claims;
    if (c) {
      lines.push(
        `claims         the other finger after a failed call: ${c.claims.genuine} genuine / ${c.claims.impostor} impostor claims`,
        `               FMR ${pct(c.fmr)} (${c.falseAccepts} false accepts), FNMR ${pct(c.fnmr)} (${c.falseRejects} false rejects), ${fixed(c.meanGenuineCalls, 2)} calls per genuine match`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
