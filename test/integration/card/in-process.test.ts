import { describe } from 'vitest';
import { SimulatedWorld } from '../../../simulator/world.ts';
import type { CardRig } from './rig.ts';
import { cardScenarios } from './scenarios.ts';

function inProcessRig(): Promise<CardRig> {
  const world = new SimulatedWorld({ residents: 4, noCard: true });
  return Promise.resolve({
    name: 'in-process',
    stack: world.stack,
    residents: world.residents,
    samKey: () => world.samKey(),
    samCommands: world.samCommands,
    tap: async (i, opts) => void world.tapCard(i, opts),
    pull: async () => world.pullCard(),
    insertSam: async (opts) => void world.insertSam(opts),
    resetSam: () => world.sam.reset(),
    close: () => world.stack.close(),
  });
}

describe('e-KTP read on the in-process simulated counter', () => {
  cardScenarios(inProcessRig);
});
