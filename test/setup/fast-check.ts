/**
 * Property tests run the same cases on every run by default: a case that finds a bug then fails
 * every run, not one run in a hundred, and a CI run cannot hang on a case no earlier run met (a
 * decoder looping forever cannot be stopped by a test timeout). FC_SEED=random explores new cases
 * (run it when touching a parser or decoder); FC_SEED=<n> replays the seed a failure printed.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: seed ? Number(seed) : 20261205 });
