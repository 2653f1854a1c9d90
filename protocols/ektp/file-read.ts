/**
 * Chunked reads of a profile EF (§3, §5, §7), clear or protected. The first chunk reveals the 2-byte
 * length; then exactly the remaining bytes are asked for, so the SAM's hash sees every byte once.
 * Protected chunks are at most E0 bytes and multiples of 8 except the last; clear ones up to 256.
 */
import { BridgeError } from '../errors.ts';
import type { ResponseApdu } from '../iso7816/apdu.ts';
import { concat } from '../iso7816/bytes.ts';
import {
  cardReadBinary,
  cardSelect,
  MAX_CLEAR_READ,
  MAX_PROTECTED_READ,
  MAX_READ_OFFSET,
} from './commands.ts';
import { announcedFileSize, efName } from './files.ts';
import { protectedTransmit } from './sam-secure-messaging.ts';
import { cardStatusError, type Sequence, transmit } from './steps.ts';

export type Access = 'clear' | 'protected';

function* send(access: Access, apdu: Uint8Array, label: string): Sequence<ResponseApdu> {
  return access === 'clear' ? yield* transmit('card', apdu, label) : yield* protectedTransmit(apdu, label);
}

export function* selectEf(fid: number, access: Access): Sequence<void> {
  const label = `SELECT ${efName(fid)}`;
  const res = yield* send(access, cardSelect(fid), label);
  if (res.sw !== 0x9000) throw cardStatusError(res.sw, label);
}

/** Next chunk for `remaining` bytes: the largest allowed, so protected chunks stay multiples of 8 until the last. */
export function chunkLength(access: Access, remaining: number): number {
  const max = access === 'clear' ? MAX_CLEAR_READ : MAX_PROTECTED_READ;
  return Math.min(max, remaining);
}

/** Reads the selected EF whole; returns the file bytes including the 2-byte length. */
export function* readSelectedEf(fid: number, access: Access): Sequence<Uint8Array> {
  const label = `READ BINARY ${efName(fid)}`;
  const first = yield* send(
    access,
    cardReadBinary(0, access === 'clear' ? MAX_CLEAR_READ : MAX_PROTECTED_READ),
    label,
  );
  if (first.sw !== 0x9000 && first.sw !== 0x6282) throw cardStatusError(first.sw, label);
  if (first.data.length < 2)
    throw new BridgeError('CARD_DATA_INVALID', `${efName(fid)} shorter than its length`, { step: label });
  const size = announcedFileSize(first.data);
  if (first.data.length > size) {
    throw new BridgeError('CARD_DATA_INVALID', `${efName(fid)} longer than announced`, { step: label });
  }
  const parts: Uint8Array[] = [first.data];
  let have = first.data.length;
  while (have < size) {
    if (have > MAX_READ_OFFSET)
      throw new BridgeError('CARD_DATA_INVALID', `${efName(fid)} too large`, { step: label });
    const res = yield* send(access, cardReadBinary(have, chunkLength(access, size - have)), label);
    if (res.sw !== 0x9000 && res.sw !== 0x6282) throw cardStatusError(res.sw, label);
    if (res.data.length === 0 || have + res.data.length > size) {
      throw new BridgeError('CARD_DATA_INVALID', `${efName(fid)} chunk of unexpected length`, {
        step: label,
      });
    }
    parts.push(res.data);
    have += res.data.length;
  }
  return concat(...parts);
}

export function* readEf(fid: number, access: Access): Sequence<Uint8Array> {
  // SELECT goes in the clear even for protected files: §11 allows a plain SELECT of a protected EF
  // during a session (it neither ends the session nor moves the counter), and it saves the SAM's
  // ENCRYPT and DECRYPT round trips for every file.
  yield* selectEf(fid, 'clear');
  return yield* readSelectedEf(fid, access);
}
