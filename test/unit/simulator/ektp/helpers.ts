/** Shared set-up for the simulator rule tests: a card and an open SAM with a live session. */

import { cardSelect, openSamBlock, samDecrypt, samEncrypt } from '../../../../protocols/ektp/commands.ts';
import { readEf } from '../../../../protocols/ektp/file-read.ts';
import { DF_KTP, EF, unframeFile } from '../../../../protocols/ektp/files.ts';
import { mutualAuthenticate } from '../../../../protocols/ektp/mutual-auth.ts';
import { openSam } from '../../../../protocols/ektp/sam-session.ts';
import { expectOk, type Sequence } from '../../../../protocols/ektp/steps.ts';
import { fromHex, hex } from '../../../../protocols/iso7816/bytes.ts';
import { SimulatedCard } from '../../../../simulator/ektp/card.ts';
import { runInProcess } from '../../../../simulator/ektp/run-in-process.ts';
import { SimulatedSam } from '../../../../simulator/ektp/sam.ts';
import { testKeys } from '../../../../simulator/ektp/test-keys.ts';
import { makeResident } from '../../../../simulator/residents/resident.ts';

export const keys = testKeys();
export const resident = makeResident(42);

export function rawHex(device: { transmit(a: Uint8Array): Uint8Array }, apdu: string): string {
  return hex(device.transmit(fromHex(apdu))).toUpperCase();
}

export function newSam(opts: Partial<ConstructorParameters<typeof SimulatedSam>[0]> = {}): SimulatedSam {
  const sam = new SimulatedSam({ ...keys, ...opts });
  sam.powerOn();
  return sam;
}

export function openedSam(): SimulatedSam {
  const sam = newSam();
  runInProcess(openSam(openSamBlock(keys.pcid, keys.conf)), { sam });
  return sam;
}

/** Card with DF selected, CC read and a session open with `sam`. */
export function session(
  card = new SimulatedCard({ resident, masterKey: keys.masterKey }),
  sam = openedSam(),
) {
  card.powerOn();
  const cc = runInProcess(selectDfAndReadCc(), { card });
  runInProcess(mutualAuthenticate(cc, card.files.csn), { card, sam });
  /** sends a plain command protected through the SAM; returns the inner response hex (data || SW) */
  const prot = (plain: string): string => {
    const enc = sam.transmit(samEncrypt(fromHex(plain)));
    if (hex(enc.slice(-2)) !== '9000') throw new Error(`ENCRYPT ${hex(enc)}`);
    const outer = card.transmit(enc.slice(0, -2));
    if (hex(outer.slice(-2)) !== '9000') return `OUTER ${hex(outer).toUpperCase()}`;
    const dec = sam.transmit(samDecrypt(outer.slice(0, -2)));
    return hex(dec.slice(0, -2)).toUpperCase();
  };
  return { card, sam, prot };
}

function* selectDfAndReadCc(): Sequence<Uint8Array> {
  yield* expectOk('card', cardSelect(DF_KTP), 'SELECT DF');
  return unframeFile(yield* readEf(EF.CC, 'clear'));
}
