/**
 * How the sequences turn status words into BridgeErrors, with scripted devices (a replayed exchange,
 * JMRTD's ScriptedCardService idea) and with the simulator where a whole card is easier.
 */
import { describe, expect, it } from 'vitest';
import { openSamBlock } from '../../../../protocols/ektp/commands.ts';
import { openSam, probeSam, readEktp } from '../../../../protocols/ektp/read-sequence.ts';
import type { Sequence } from '../../../../protocols/ektp/steps.ts';
import { type BridgeError, isBridgeError } from '../../../../protocols/errors.ts';
import { fromHex, hex } from '../../../../protocols/iso7816/bytes.ts';
import { SimulatedCard } from '../../../../simulator/ektp/card.ts';
import type { SimulatedDevice } from '../../../../simulator/ektp/device.ts';
import { withPullAfter } from '../../../../simulator/ektp/pull-after.ts';
import { runInProcess } from '../../../../simulator/ektp/run-in-process.ts';
import { SimulatedSam } from '../../../../simulator/ektp/sam.ts';
import { testKeys } from '../../../../simulator/ektp/test-keys.ts';
import { makeResident } from '../../../../simulator/residents/resident.ts';

const keys = testKeys();
const resident = makeResident(7);

/** Answers from a list in order, recording what was sent. */
function scripted(responses: string[]): SimulatedDevice & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    atr: fromHex('3B80800101'),
    powerOn() {},
    reset() {},
    transmit(apdu) {
      sent.push(hex(apdu));
      const r = responses.shift();
      if (r === undefined) throw new Error('script exhausted');
      return fromHex(r);
    },
  };
}

/** A real simulated card with some commands answered differently. */
function tweaked(
  card: SimulatedDevice,
  answer: (apdu: Uint8Array) => Uint8Array | undefined,
): SimulatedDevice {
  return {
    ...card,
    atr: card.atr,
    powerOn: () => card.powerOn(),
    reset: () => card.reset(),
    transmit: (a) => answer(a) ?? card.transmit(a),
  };
}

function failure<T>(
  seq: Sequence<T>,
  devices: { card?: SimulatedDevice; sam?: SimulatedDevice },
): BridgeError {
  try {
    runInProcess(seq, devices);
  } catch (e) {
    if (isBridgeError(e)) return e;
    throw e;
  }
  throw new Error('expected a BridgeError');
}

const newCard = () => {
  const c = new SimulatedCard({ resident, masterKey: keys.masterKey });
  c.powerOn();
  return c;
};
const openedSam = () => {
  const sam = new SimulatedSam({ ...keys });
  runInProcess(openSam(openSamBlock(keys.pcid, keys.conf)), { sam });
  return sam;
};

describe('openSam', () => {
  it('sends OPEN SAM once and returns on 90 00', () => {
    const sam = scripted(['9000']);
    runInProcess(openSam(new Uint8Array(32)), { sam });
    expect(sam.sent).toEqual([`00f0000020${'00'.repeat(32)}`]);
  });
  it('63 C2 -> SAM_AUTH_FAILED with triesLeft; 63 C0 and 69 83 -> SAM_LOCKED; never retried', () => {
    const a = scripted(['63C2']);
    const e = failure(openSam(new Uint8Array(32)), { sam: a });
    expect(e.code).toBe('SAM_AUTH_FAILED');
    expect(e.detail?.triesLeft).toBe(2);
    expect(a.sent).toHaveLength(1);
    expect(failure(openSam(new Uint8Array(32)), { sam: scripted(['63C0']) }).code).toBe('SAM_LOCKED');
    expect(failure(openSam(new Uint8Array(32)), { sam: scripted(['6983']) }).code).toBe('SAM_LOCKED');
  });
  it('a block of the wrong length never reaches the SAM', () => {
    const sam = scripted([]);
    expect(failure(openSam(new Uint8Array(31)), { sam }).code).toBe('INVALID_PARAMS');
    expect(sam.sent).toHaveLength(0);
  });
  it('with the simulator: wrong PCID/CONF costs tries 2, 1, then the SAM is locked for good', () => {
    const sam = new SimulatedSam({ ...keys });
    const wrong = openSamBlock(keys.pcid, new Uint8Array(32));
    const e1 = failure(openSam(wrong), { sam });
    const e2 = failure(openSam(wrong), { sam });
    const e3 = failure(openSam(wrong), { sam });
    expect([e1.code, e1.detail?.triesLeft, e2.code, e2.detail?.triesLeft, e3.code]).toEqual([
      'SAM_AUTH_FAILED',
      2,
      'SAM_AUTH_FAILED',
      1,
      'SAM_LOCKED',
    ]);
    expect(sam.blocked).toBe(true);
    // Even the right block is refused now, and a read says SAM_LOCKED.
    expect(failure(openSam(openSamBlock(keys.pcid, keys.conf)), { sam }).code).toBe('SAM_LOCKED');
    expect(failure(readEktp({ fields: ['biodata'] }), { card: newCard(), sam }).code).toBe('SAM_LOCKED');
    expect(runInProcess(probeSam(), { sam })).toEqual({ present: true, blocked: true });
  });
});

describe('probeSam', () => {
  it('present with UID, blocked, absent, removed', () => {
    expect(runInProcess(probeSam(), { sam: scripted(['01020304050607089000']) })).toEqual({
      present: true,
      blocked: false,
      uid: fromHex('0102030405060708'),
    });
    expect(runInProcess(probeSam(), { sam: scripted(['6983']) })).toEqual({ present: true, blocked: true });
    expect(runInProcess(probeSam(), { sam: scripted(['6D00']) })).toEqual({ present: false, blocked: false });
    expect(failure(probeSam(), { sam: scripted(['']) }).code).toBe('NO_SAM');
  });
});

describe('readEktp error mapping', () => {
  it('6A 82 on SELECT DF -> CARD_UNSUPPORTED', () => {
    const card = tweaked(newCard(), (a) => (a[1] === 0xa4 && a[5] === 0x7f ? fromHex('6A82') : undefined));
    const e = failure(readEktp({ fields: ['photo'] }), { card });
    expect(e.code).toBe('CARD_UNSUPPORTED');
    expect(e.detail?.step).toBe('SELECT DF');
  });

  it('6E 00 / 6D 00 from a foreign card -> CARD_UNSUPPORTED', () => {
    for (const sw of ['6E00', '6D00']) {
      const card = scripted(['0401020304050607' + '9000', sw]);
      expect(failure(readEktp({ fields: ['photo'] }), { card }).code).toBe('CARD_UNSUPPORTED');
    }
  });

  it('a response shorter than 2 bytes -> CARD_REMOVED', () => {
    expect(
      failure(readEktp({ fields: ['photo'] }), { card: scripted(['04010203040506079000', '90']) }).code,
    ).toBe('CARD_REMOVED');
  });

  it('a card pulled after N APDUs (withPullAfter) -> CARD_REMOVED at the next step', () => {
    for (const n of [0, 3, 12, 40]) {
      let pulled = false;
      const card = withPullAfter(newCard(), n, () => {
        pulled = true;
      });
      const e = failure(readEktp({ fields: ['biodata', 'photo', 'signature', 'fingers'] }), {
        card,
        sam: openedSam(),
      });
      expect(e.code).toBe('CARD_REMOVED');
      expect(pulled).toBe(true);
    }
  });

  it('63 00 on EXTERNAL AUTHENTICATE -> CARD_AUTH_FAILED', () => {
    const card = tweaked(newCard(), (a) => (a[1] === 0x82 ? fromHex('6300') : undefined));
    const e = failure(readEktp({ fields: ['fingers'] }), { card, sam: openedSam() });
    expect(e.code).toBe('CARD_AUTH_FAILED');
    expect(e.detail?.step).toBe('EXTERNAL AUTHENTICATE');
  });

  it('63 00 on INTERNAL AUTH -> CARD_AUTH_FAILED', () => {
    const sam = openedSam();
    const samT = tweaked(sam, (a) => (a[1] === 0xf2 ? fromHex('6300') : undefined));
    const e = failure(readEktp({ fields: ['fingers'] }), { card: newCard(), sam: samT });
    expect(e.code).toBe('CARD_AUTH_FAILED');
    expect(e.detail?.step).toBe('INTERNAL AUTH');
  });

  it('a forged protected response (DECRYPT 69 88) -> CARD_AUTH_FAILED', () => {
    const card = newCard();
    const forged = tweaked(card, (a) => {
      if (a[0] !== 0x0c || a[1] !== 0xb0) return undefined;
      const r = card.transmit(a);
      r[r.length - 3] ^= 1; // flip a MAC byte
      return r;
    });
    expect(failure(readEktp({ fields: ['fingers'] }), { card: forged, sam: openedSam() }).code).toBe(
      'CARD_AUTH_FAILED',
    );
  });

  it('handles 61xx (GET RESPONSE) and 6Cxx (re-send with Le = xx) from the card', () => {
    const card = newCard();
    let first = true;
    const chatty = tweaked(card, (a) => {
      // GET CHIP SERIAL answered in two parts, GET UID asks for the exact Le first.
      if (a[0] === 0x00 && a[1] === 0xdd) {
        const r = card.transmit(a);
        return Uint8Array.from([...r.slice(0, 3), 0x61, 0x05]);
      }
      if (a[0] === 0x00 && a[1] === 0xc0) return Uint8Array.from([...card.files.csn.slice(3), 0x90, 0x00]);
      if (a[0] === 0xff && a[1] === 0xca && first) {
        first = false;
        return fromHex('6C07');
      }
      return undefined;
    });
    const r = runInProcess(readEktp({ fields: ['photo'] }), { card: chatty });
    expect(r.chipSerial).toBe(hex(card.files.csn));
    expect(hex(r.uid)).toBe(hex(card.files.uid));
  });
});
