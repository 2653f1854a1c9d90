/**
 * Command APDUs of profile v1 (§3 card, §4 SAM), built one way and recognised the other way so the
 * simulated card and SAM dispatch on the same constants the host sends.
 */
import { encodeCommand } from '../iso7816/apdu.ts';
import { concat } from '../iso7816/bytes.ts';
import { isValidCcLength } from './files.ts';

export const CARD_INS = {
  GET_UID: 0xca, // CLA FF: answered by the PC/SC reader (by the simulated card behind vpcd)
  GET_CHIP_SERIAL: 0xdd,
  SELECT: 0xa4,
  READ_BINARY: 0xb0,
  GET_CHALLENGE: 0x84,
  EXTERNAL_AUTHENTICATE: 0x82,
} as const;

export const SAM_INS = {
  GET_SAM_UID: 0xf7,
  OPEN_SAM: 0xf0,
  RESET_SAM: 0xff,
  CALC_CHALLENGE: 0xf1,
  INTERNAL_AUTH: 0xf2,
  ENCRYPT: 0xf3,
  DECRYPT: 0xf4,
  VERIFY: 0xfa,
} as const;

/** P1 of the VERIFY (FA) family. */
export const VERIFY_P1 = { START: 0x00, STOP: 0x02, FEED: 0x03, DOCUMENT: 0x04, SIGNATURE: 0x06 } as const;

export const CHALLENGE_LENGTH = 8;
export const CSN_LENGTH = 8;
export const CRYPTOGRAM_LENGTH = 40;
export const OPEN_SAM_BLOCK_LENGTH = 32;
export const SAM_UID_LENGTH = 8;
/** Largest protected READ BINARY (§7) and largest clear one (§3). */
export const MAX_PROTECTED_READ = 0xe0;
export const MAX_CLEAR_READ = 256;
/** READ BINARY offsets are 15-bit (P1 bit 8 would mean a short EF identifier). */
export const MAX_READ_OFFSET = 0x7fff;

const fidBytes = (fid: number) => Uint8Array.of(fid >> 8, fid & 0xff);

// Card (§3)
export const cardGetUid = () => encodeCommand({ cla: 0xff, ins: CARD_INS.GET_UID, p1: 0, p2: 0, ne: 256 });
export const cardGetChipSerial = () =>
  encodeCommand({ cla: 0, ins: CARD_INS.GET_CHIP_SERIAL, p1: 0, p2: 0, ne: CSN_LENGTH });
export const cardSelect = (fid: number) =>
  encodeCommand({ cla: 0, ins: CARD_INS.SELECT, p1: 0, p2: 0, data: fidBytes(fid) });
export function cardReadBinary(offset: number, ne: number): Uint8Array {
  if (offset < 0 || offset > MAX_READ_OFFSET)
    throw new RangeError(`READ BINARY offset ${offset} out of range`);
  return encodeCommand({ cla: 0, ins: CARD_INS.READ_BINARY, p1: offset >> 8, p2: offset & 0xff, ne });
}
export const cardGetChallenge = () =>
  encodeCommand({ cla: 0, ins: CARD_INS.GET_CHALLENGE, p1: 0, p2: 0, ne: CHALLENGE_LENGTH });
export function cardExternalAuthenticate(cryptogram: Uint8Array): Uint8Array {
  if (cryptogram.length !== CRYPTOGRAM_LENGTH) throw new RangeError('EXTERNAL AUTHENTICATE needs 40 bytes');
  return encodeCommand({ cla: 0, ins: CARD_INS.EXTERNAL_AUTHENTICATE, p1: 0, p2: 0, data: cryptogram });
}

// SAM (§4)
export const samGetUid = () => encodeCommand({ cla: 0, ins: SAM_INS.GET_SAM_UID, p1: 0, p2: 0, ne: 256 });
export function samOpen(block: Uint8Array): Uint8Array {
  return encodeCommand({ cla: 0, ins: SAM_INS.OPEN_SAM, p1: 0, p2: 0, data: block });
}
export const samReset = () => encodeCommand({ cla: 0, ins: SAM_INS.RESET_SAM, p1: 0, p2: 0, ne: 256 });
export function samCalcChallenge(cc: Uint8Array, csn: Uint8Array, rndIc: Uint8Array): Uint8Array {
  if (!isValidCcLength(cc.length)) throw new RangeError(`CC of ${cc.length} bytes`);
  const p2 = cc.length === 51 ? 0x01 : 0x00;
  return encodeCommand({ cla: 0, ins: SAM_INS.CALC_CHALLENGE, p1: 0, p2, data: concat(cc, csn, rndIc) });
}
export function samInternalAuth(cardCryptogram: Uint8Array): Uint8Array {
  if (cardCryptogram.length !== CRYPTOGRAM_LENGTH) throw new RangeError('INTERNAL AUTH needs 40 bytes');
  return encodeCommand({ cla: 0, ins: SAM_INS.INTERNAL_AUTH, p1: 0, p2: 0, data: cardCryptogram });
}
export const samEncrypt = (plainApdu: Uint8Array) =>
  encodeCommand({ cla: 0, ins: SAM_INS.ENCRYPT, p1: 0, p2: 0, data: plainApdu });
/** DECRYPT takes the protected response data alone, without the outer status word (§11). */
export const samDecrypt = (protectedResponseData: Uint8Array) =>
  encodeCommand({ cla: 0, ins: SAM_INS.DECRYPT, p1: 0, p2: 0, data: protectedResponseData });
const verify = (p1: number, data?: Uint8Array) =>
  encodeCommand(
    data
      ? { cla: 0, ins: SAM_INS.VERIFY, p1, p2: 0, data }
      : { cla: 0, ins: SAM_INS.VERIFY, p1, p2: 0, ne: 256 },
  );
export const samVerifyStart = () => verify(VERIFY_P1.START);
export const samVerifyStop = () => verify(VERIFY_P1.STOP);
export const samVerifyDocument = () => verify(VERIFY_P1.DOCUMENT);
/** Extended length when needed: the SAM takes a whole photo in one FEED (§11). */
export const samVerifyFeed = (bytes: Uint8Array) => verify(VERIFY_P1.FEED, bytes);
export const samVerifySignature = (ds: Uint8Array) => verify(VERIFY_P1.SIGNATURE, ds);

/** Reader escape of §1 selecting SAM socket 1 or 2. */
export function samSocketSelect(socket: 1 | 2): Uint8Array {
  return Uint8Array.of(0x68, 0x92, 0x01, 0x00, 0x03, socket, 0x00, 0x00);
}

/** §2: B = (PCID ⊕ CONF[0..16]) || (PCID ⊕ CONF[16..32]). */
export function openSamBlock(pcid: Uint8Array, conf: Uint8Array): Uint8Array {
  if (pcid.length !== 16 || conf.length !== 32) throw new RangeError('PCID must be 16 bytes and CONF 32');
  const b = new Uint8Array(32);
  for (let i = 0; i < 16; i++) {
    b[i] = pcid[i] ^ conf[i];
    b[16 + i] = pcid[i] ^ conf[16 + i];
  }
  return b;
}
