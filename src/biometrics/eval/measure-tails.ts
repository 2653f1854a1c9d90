/**
 * The impostor tails of an eval folder (`eval --tails-out`), measured as `npm run eval:thresholds`
 * measures FVC2002's for the shipped policy: every impression in turn as the card, every other
 * finger's impressions presented in rotation from each starting impression, k = 1..10 attempts, each
 * score an attempt's as the daemon takes it (its best live view against the card). A file of them,
 * named by config `verify.impostorTails`, puts the verify policy's thresholds on the agency's own
 * prints instead of FVC2002's (docs/matching.md "Calibrating on your own prints").
 *
 * One finger at a time: its live views against every card, then every card's rotations of it, so the
 * memory is one finger's scores and the kept tail, whatever the size of the set.
 */
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { type ImpostorTailsFile, TailCollector } from '../verify-policy/impostor-tails.ts';
import { liveScores, type ScoringEngine } from './live-scores.ts';
import { byFinger, type Impression } from './protocol.ts';

/** attempts per call the file covers: the API's most */
const MAX_ATTEMPTS = 10;

export async function measureImpostorTails(
  engine: ScoringEngine,
  list: readonly Impression[],
  viewsOf: (imp: Impression) => MinutiaeSet[],
  candidateOf: (imp: Impression) => MinutiaeSet,
  about: { dataset: string; mode: string },
  say: (line: string) => void,
): Promise<ImpostorTailsFile> {
  const fingers = byFinger(list);
  const cards = [...list];
  const gallery = cards.map(candidateOf);
  // each card meets every other finger once per starting impression
  const sequences = fingers.reduce((n, f) => n + f.length * (cards.length - f.length), 0);
  say(`impostor tails: ${sequences} sequences of up to ${MAX_ATTEMPTS} attempts`);
  const collector = new TailCollector(MAX_ATTEMPTS, sequences);
  for (const finger of fingers) {
    // per impression of this finger, its score against every card
    const scores: number[][] = [];
    for (const live of finger) scores.push(await liveScores(engine, viewsOf(live), gallery));
    cards.forEach((card, c) => {
      if (card.finger !== finger[0].finger) collector.addRotations(scores.map((s) => s[c]));
    });
  }
  return {
    about:
      `Written by ektp-bridge eval --tails-out from ${about.dataset} (mode ${about.mode}); read by the ` +
      'verify policy when config verify.impostorTails names it. Every impression as the card against ' +
      'every other finger, impressions in rotation from each start, each score the best of the live ' +
      "image's views; sums[k-1] = the highest sums of k consecutive impostor scores, descending, " +
      'rounded up to 1e-4, out of `sequences`.',
    measured: new Date().toISOString().slice(0, 10),
    modes: { [about.mode]: collector.tails() },
  };
}
