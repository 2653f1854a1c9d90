/**
 * A live image's scores as finger.verify takes an attempt's, for eval's verify policy and tails:
 * each live view (extract/live-views.ts) against every template, then per template the best view's
 * (bestOfViews).
 */
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { bestOfViews } from '../verify-policy/decide.ts';
import { inParallel } from './in-parallel.ts';

/** The comparisons eval needs (the CLI passes the MatchPool's). */
export interface ScoringEngine {
  compare(probe: MinutiaeSet, candidate: MinutiaeSet): Promise<number>;
  /** the probe against every template, in order (the pool's 1:N scan); without it, pair by pair */
  compareMany?(probe: MinutiaeSet, gallery: MinutiaeSet[]): Promise<Float64Array>;
  /** how many calls may be in flight at once (the pool's thread count) */
  readonly concurrency: number;
}

/** Per template of `gallery`, the best of the live views' scores against it. */
export async function liveScores(
  engine: ScoringEngine,
  views: readonly MinutiaeSet[],
  gallery: MinutiaeSet[],
): Promise<number[]> {
  const perView: ArrayLike<number>[] = [];
  for (const view of views) {
    perView.push(
      engine.compareMany
        ? await engine.compareMany(view, gallery)
        : await inParallel(
            gallery.map((g) => () => engine.compare(view, g)),
            engine.concurrency,
          ),
    );
  }
  return bestOfViews(perView);
}
