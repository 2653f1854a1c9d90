/**
 * Fault matrix (issue 11 item 7): pcscd killed (SIGKILL) in the middle of a read, through the real
 * pcscd + vpcd. The read in flight is answered with a BridgeError (no hang); the stack re-creates
 * its PC/SC context by itself; the SAM is absent while pcscd is away and present once it is back;
 * the next read works with no call from us but putting the SAM and card back (pcscd dropped the
 * vpcd clients, as a real reader's cards are power-cycled).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_FIELDS } from '../../../src/services/types.ts';
import { type PcscdRig, pcscdRig } from '../card/pcscd-rig.ts';
import { cardSideFor } from '../card/rig.ts';
import { pcscdAvailable, sleep } from '../helpers/pcscd.ts';
import { outcome } from './outcome.ts';

const avail = pcscdAvailable();

/** answer or hang, as the fault matrix counts it (./outcome.ts) */
const answerOf = (p: Promise<unknown>, ms = 30_000) => outcome(p, ms);

describe.skipIf(!avail.ok)('pcscd killed mid-read', () => {
  let rig: PcscdRig;
  beforeAll(async () => {
    rig = await pcscdRig(1);
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('answers the read in flight, recovers by itself, and reads again', async () => {
    const side = cardSideFor(rig);
    await rig.tap(0);
    expect((await side.cards.read({ fields: CARD_FIELDS })).result.documentSignature).toBe('valid');
    const codes: string[] = [];
    for (const afterSamApdus of [2, 10]) {
      const sent = rig.samCommands.length;
      const reading = answerOf(side.cards.read({ fields: CARD_FIELDS }));
      while (rig.samCommands.length < sent + afterSamApdus) await sleep(2);
      await rig.pcscd.restart('SIGKILL');
      codes.push(await reading);
      expect(side.cards.isBusy()).toBe(false);
      for (let t = 0; t < 100 && rig.stack.readers().length < 2; t++) await sleep(100);
      expect(rig.stack.serviceUp).toBe(true);
      await rig.reinsertSam();
      await side.directory.settled();
      expect(side.sam.state).toBe('closed');
      await rig.tap(0);
      const { result } = await side.cards.read({ fields: CARD_FIELDS });
      expect(result.documentSignature).toBe('valid');
      expect(result.biodata?.nik).toBe(rig.residents[0].biodata.nik);
    }
    console.log(`pcscd killed mid-read answered: ${codes.join(', ')}`);
    for (const c of codes) expect(['NO_READER', 'NO_SAM', 'CARD_REMOVED']).toContain(c);
  }, 120_000);
});
