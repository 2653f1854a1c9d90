import { describe } from 'vitest';
import { pcscdAvailable } from '../helpers/pcscd.ts';
import { pcscdRig } from './pcscd-rig.ts';
import { cardScenarios } from './scenarios.ts';

const avail = pcscdAvailable();
if (!avail.ok) console.warn(`skipping pcscd integration tests: ${avail.why}`);

describe.skipIf(!avail.ok)('e-KTP read through the real pcscd with the simulated card behind vpcd', () => {
  cardScenarios(() => pcscdRig());
});
