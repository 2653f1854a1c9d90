import { CompactSign } from 'jose';
import type { DeviceKey } from '../keys/device-key.ts';
import { type ChainHead, loadChainHead, saveChainHead } from './chain-head.ts';
import { type ReceiptClaims, type ReceiptInput, receiptHash } from './receipt-claims.ts';

/** Where the lead keeps the chain head: join(dataDir, RECEIPT_CHAIN_FILE). */
export const RECEIPT_CHAIN_FILE = 'receipt-chain.json';

export interface ReceiptSignerOptions {
  deviceKey: Pick<DeviceKey, 'deviceId' | 'privateKey'>;
  /** file holding the chain head across restarts (written atomically, mode 0600) */
  chainFile: string;
  /** clock in milliseconds (Date.now by default) */
  now?: () => number;
}

export interface ReceiptSigner {
  /** signs one result; resolves once the new chain head is on disk */
  sign(input: ReceiptInput): Promise<string>;
  /** the current head (receiptHash of the last receipt, or the genesis value) */
  head(): string;
  /** receipts signed in this chain so far (the audit log's checkpoints record it) */
  count(): number;
}

/**
 * Signs receipts with the device key (ES256, header kid = device id) and links each to the previous
 * one through `prev`. Signing is serialised: two results finishing together still get distinct,
 * ordered links. The head is saved before the receipt is handed out, so a receipt a client holds is
 * always part of the chain the daemon continues after a restart.
 */
export function createReceiptSigner({
  deviceKey,
  chainFile,
  now = Date.now,
}: ReceiptSignerOptions): ReceiptSigner {
  let state: ChainHead = loadChainHead(chainFile, deviceKey.deviceId);
  let queue: Promise<unknown> = Promise.resolve();

  async function signOne(input: ReceiptInput): Promise<string> {
    const claims: ReceiptClaims = {
      ...dropUndefined(input),
      iss: deviceKey.deviceId,
      iat: Math.floor(now() / 1000),
      prev: state.head,
    };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: deviceKey.deviceId })
      .sign(deviceKey.privateKey);
    const next = { deviceId: deviceKey.deviceId, head: receiptHash(jws), count: state.count + 1 };
    saveChainHead(chainFile, next);
    state = next;
    return jws;
  }

  return {
    sign(input) {
      const result = queue.then(() => signOne(input));
      queue = result.catch(() => undefined);
      return result;
    },
    head: () => state.head,
    count: () => state.count,
  };
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
