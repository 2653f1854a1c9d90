import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import { BridgeError } from '../../../protocols/errors.ts';
import { toCardRecord } from '../../../src/services/card/card-record.ts';
import { CARD_FIELDS } from '../../../src/services/types.ts';
import { type CardRig, cardSideFor, wrongSamKey } from './rig.ts';

const OPEN_SAM = 0xf0;

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return e instanceof BridgeError ? e.code : `not a BridgeError: ${String(e)}`;
  }
}

/** The item 7 scenarios, for any rig (in-process or through pcscd + vpcd). */
export function cardScenarios(makeRig: () => Promise<CardRig>): void {
  let rig: CardRig;
  beforeAll(async () => {
    rig = await makeRig();
    // Each scenario builds its own card side on the rig's one stack, and a card side's services
    // subscribe for the daemon's lifetime (one card side per stack there): a dozen here is the
    // test's doing, not a leak, so Node's warning at 11 listeners is moved past them.
    if (rig.stack instanceof EventEmitter) rig.stack.setMaxListeners(40);
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('reads every synthetic resident in full, with a valid document signature', async () => {
    const side = cardSideFor(rig);
    for (let i = 0; i < rig.residents.length; i++) {
      await rig.tap(i);
      const { result } = await side.cards.read({ fields: CARD_FIELDS });
      const want = rig.residents[i];
      expect(result.documentSignature).toBe('valid');
      expect(result.biodata).toEqual(want.biodata);
      expect(result.nikConsistent).toBe(true);
      expect(Buffer.from(result.photo!)).toEqual(Buffer.from(want.photo));
      expect(Buffer.from(result.signature!.bytes)).toEqual(Buffer.from(want.signatureImage));
      expect(result.minutiae.map((m) => decodeIso19794_2(m.record).fingerPosition)).toEqual([2, 7]);
      const card = toCardRecord(result, CARD_FIELDS);
      expect(card.nik).toBe(want.biodata.nik);
      expect(card.fingers).toHaveLength(2);
    }
  });

  it('reports a tampered card as documentSignature invalid', async () => {
    const side = cardSideFor(rig);
    await rig.tap(0, { faults: { tamperedBiodata: true } });
    const { result } = await side.cards.read({ fields: CARD_FIELDS });
    expect(result.documentSignature).toBe('invalid');
  });

  it('never reports a partial read as valid', async () => {
    const side = cardSideFor(rig);
    await rig.tap(1);
    const { result } = await side.cards.read({ fields: ['biodata'] });
    expect(result.documentSignature).toBe('not-checked');
    expect(result.photo).toBeUndefined();
  });

  it('gives CARD_AUTH_FAILED for a card keyed from another master key', async () => {
    const side = cardSideFor(rig);
    await rig.tap(0, { faults: { keyedFromOtherMasterKey: true } });
    expect(await code(side.cards.read({ fields: CARD_FIELDS }))).toBe('CARD_AUTH_FAILED');
  });

  it('gives CARD_REMOVED when the card is pulled at several points, and the next read works', async () => {
    const side = cardSideFor(rig);
    for (const after of [0, 1, 3, 6, 9, 14, 25, 40, 60]) {
      await rig.tap(2, { pullAfter: after });
      expect(await code(side.cards.read({ fields: CARD_FIELDS })), `pulled after ${after} APDUs`).toBe(
        'CARD_REMOVED',
      );
      await rig.pull();
      await rig.tap(2);
      const { result } = await side.cards.read({ fields: CARD_FIELDS });
      expect(result.documentSignature).toBe('valid');
    }
  });

  it('answers BUSY to a second read while one runs', async () => {
    const side = cardSideFor(rig);
    await rig.tap(1);
    const first = side.cards.read({ fields: CARD_FIELDS });
    expect(await code(side.cards.read({ fields: CARD_FIELDS }))).toBe('BUSY');
    expect((await first).result.documentSignature).toBe('valid');
  });

  it('cancels a read between APDUs, and the next read works', async () => {
    const side = cardSideFor(rig);
    await rig.tap(1);
    const ac = new AbortController();
    const p = side.cards.read({
      fields: CARD_FIELDS,
      signal: ac.signal,
      progress: (step) => step === 'photo' && ac.abort(),
    });
    expect(await code(p)).toBe('CANCELLED');
    expect((await side.cards.read({ fields: CARD_FIELDS })).result.documentSignature).toBe('valid');
  });

  it('re-opens a SAM that was power cycled behind its back, once, with the secrets that worked', async () => {
    const side = cardSideFor(rig);
    await rig.tap(0);
    expect((await side.cards.read({ fields: ['biodata'] })).result.biodata).toBeDefined();
    const before = rig.samCommands.filter((ins) => ins === OPEN_SAM).length;
    rig.resetSam();
    const { result } = await side.cards.read({ fields: CARD_FIELDS });
    expect(result.documentSignature).toBe('valid');
    expect(rig.samCommands.filter((ins) => ins === OPEN_SAM).length - before).toBe(1);
  });

  it('gives SAM_AUTH_FAILED for a wrong PCID/CONF and never sends a second OPEN SAM by itself', async () => {
    await rig.insertSam({});
    const side = cardSideFor(rig, wrongSamKey);
    await rig.tap(0);
    const before = rig.samCommands.filter((ins) => ins === OPEN_SAM).length;
    expect(await code(side.cards.read({ fields: CARD_FIELDS }))).toBe('SAM_AUTH_FAILED');
    expect(await code(side.cards.read({ fields: CARD_FIELDS }))).toBe('SAM_AUTH_FAILED');
    await rig.pull();
    await rig.tap(1);
    expect(await code(side.cards.read({ fields: CARD_FIELDS }))).toBe('SAM_AUTH_FAILED');
    expect(rig.samCommands.filter((ins) => ins === OPEN_SAM).length - before).toBe(1);
    expect(side.sam.state).toBe('auth-failed');
  });

  it('gives SAM_LOCKED for a blocked SAM without sending OPEN SAM', async () => {
    await rig.insertSam({ blocked: true });
    const side = cardSideFor(rig);
    await rig.tap(0);
    const before = rig.samCommands.filter((ins) => ins === OPEN_SAM).length;
    expect(await code(side.cards.read({ fields: CARD_FIELDS }))).toBe('SAM_LOCKED');
    expect(rig.samCommands.filter((ins) => ins === OPEN_SAM).length).toBe(before);
    await rig.insertSam({});
  });

  it('gives NO_CARD when no card is on the reader, or after timeoutMs', async () => {
    const side = cardSideFor(rig);
    await rig.pull();
    expect(await code(side.cards.read({ fields: CARD_FIELDS }))).toBe('NO_CARD');
    expect(await code(side.cards.read({ fields: CARD_FIELDS, timeoutMs: 300 }))).toBe('NO_CARD');
  });

  it('waits for a card tapped within timeoutMs', async () => {
    const side = cardSideFor(rig);
    await rig.pull();
    const p = side.cards.read({ fields: ['biodata'], timeoutMs: 5000 });
    setTimeout(() => void rig.tap(3), 200);
    expect((await p).result.biodata?.nik).toBe(rig.residents[3].biodata.nik);
  });
}
