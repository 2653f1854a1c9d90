import { existsSync, readFileSync } from 'node:fs';
import { BridgeError } from '../../protocols/errors.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { RECEIPT_GENESIS } from './receipt-claims.ts';

/** The file `chainFile` holds: the head of one device's receipt chain. */
export interface ChainHead {
  deviceId: string;
  /** receiptHash of the last receipt signed, or RECEIPT_GENESIS */
  head: string;
  /** receipts signed so far in this chain */
  count: number;
}

/**
 * Reads the persisted head. A missing file, or one written for another device key (the key was
 * replaced: a new device, a new chain), starts at the genesis value. A file that exists but cannot
 * be read as a head is an error: silently restarting the chain would hide the break.
 */
export function loadChainHead(chainFile: string, deviceId: string): ChainHead {
  if (!existsSync(chainFile)) return { deviceId, head: RECEIPT_GENESIS, count: 0 };
  let value: Partial<ChainHead>;
  try {
    value = JSON.parse(readFileSync(chainFile, 'utf8'));
  } catch (e) {
    throw new BridgeError('INTERNAL', `${chainFile} is not valid JSON`, undefined, { cause: e });
  }
  if (
    typeof value.deviceId !== 'string' ||
    typeof value.head !== 'string' ||
    typeof value.count !== 'number'
  ) {
    throw new BridgeError('INTERNAL', `${chainFile} is not a receipt chain head`);
  }
  if (value.deviceId !== deviceId) return { deviceId, head: RECEIPT_GENESIS, count: 0 };
  return value as ChainHead;
}

export function saveChainHead(chainFile: string, head: ChainHead): void {
  writeFileAtomic(chainFile, `${JSON.stringify(head)}\n`);
}
