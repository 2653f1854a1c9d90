/**
 * Fault matrix (issue 11 item 7): the SAM's reader unplugged (USB) in the middle of a read, and
 * plugged back with the SAM still in it. The read in flight is answered NO_SAM (not CARD_REMOVED:
 * the e-KTP was not touched), the SAM is reported absent while its reader is away and present as
 * soon as it is back, and the next read works by itself: one OPEN SAM (the SAM was powered down with
 * its reader; re-opening with secrets that already worked is allowed), never a retry after a failure.
 */
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../protocols/errors.ts';
import { SIM_SAM_READER } from '../../../simulator/pcsc/in-process-stack.ts';
import { SimulatedWorld } from '../../../simulator/world.ts';
import { validateConfig } from '../../../src/config/index.ts';
import { createCardSide } from '../../../src/daemon/card-side.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { CARD_FIELDS } from '../../../src/services/types.ts';

const OPEN_SAM = 0xf0;

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof BridgeError ? e.code : `not a BridgeError: ${String(e)}`;
  }
}

describe('SAM reader unplugged mid-read and plugged back', () => {
  for (const roles of [{ sam: 'SAM' }, {}]) {
    const how = roles.sam ? 'roles by name' : 'roles by probing';
    it(`${how}: NO_SAM for the read in flight, absent while away, present at once when back, then reads`, async () => {
      const world = new SimulatedWorld({ residents: 1, noCard: true });
      const side = createCardSide(world.stack, validateConfig({ readers: roles }), silentLogger(), () =>
        world.samKey(),
      );
      world.tapCard(0);
      expect((await side.cards.read({ fields: CARD_FIELDS })).result.documentSignature).toBe('valid');
      const opens = () => world.samCommands.filter((ins) => ins === OPEN_SAM).length;
      expect(opens()).toBe(1);

      for (const afterSamApdus of [1, 3, 8]) {
        const sent = world.samCommands.length;
        const reading = code(side.cards.read({ fields: CARD_FIELDS }));
        while (world.samCommands.length < sent + afterSamApdus) await new Promise((r) => setImmediate(r));
        world.stack.unplugReader(SIM_SAM_READER);
        expect(await reading).toBe('NO_SAM');
        expect(side.sam.state).toBe('absent');
        expect(side.cards.isBusy()).toBe(false);
        expect(await code(side.cards.read({ fields: CARD_FIELDS }))).toBe('NO_SAM');

        const before = opens();
        world.stack.plugReader(SIM_SAM_READER);
        await side.directory.settled();
        expect(side.sam.state).toBe('closed');
        const { result } = await side.cards.read({ fields: CARD_FIELDS });
        expect(result.documentSignature).toBe('valid');
        expect(side.sam.state).toBe('open');
        expect(opens()).toBe(before + 1);
      }
      await world.stack.close();
    }, 60_000);
  }
});
