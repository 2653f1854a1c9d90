import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { JWK } from 'jose';
import { BridgeError } from '../../../protocols/errors.ts';
import { loadOrCreateDeviceKey } from '../../keys/device-key.ts';
import { receiptHash, verifyReceipt, verifyReceiptChain } from '../../receipts/index.ts';
import { printJson, printLines } from '../output.ts';

interface ReceiptVerifyOpts {
  key?: string;
  deviceKeyFrom?: string;
  fromGenesis?: boolean;
  json?: boolean;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function registerReceipt(program: Command): void {
  const receipt = program.command('receipt').description('receipts the daemon signs (what a backend checks)');
  receipt
    .command('verify')
    .description('check receipts (files with one per line, or receipts as arguments) and their chain')
    .argument('<receipts...>', 'files of receipts, one per line, or compact JWS receipts')
    .option('--key <jwkfile>', "the device's public key as a JWK file (from `ektp-bridge keys show`)")
    .option(
      '--device-key-from <dataDir>',
      'use the device key in this data directory (on the counter PC itself)',
    )
    .option('--from-genesis', "the list starts at the device's first receipt (check its prev too)")
    .option('--json', 'one JSON document on stdout')
    .action(async (inputs: string[], opts: ReceiptVerifyOpts) => {
      const jwk = await deviceJwk(opts);
      const list = inputs.flatMap(readReceipts);
      if (list.length === 0) throw new BridgeError('INVALID_PARAMS', 'no receipts given');
      const each = await Promise.all(
        list.map(async (jws, i) => {
          try {
            const c = await verifyReceipt(jws, jwk);
            return { index: i, valid: true, op: c.op, iat: c.iat, hash: receiptHash(jws) };
          } catch (e) {
            return { index: i, valid: false, reason: (e as Error).message };
          }
        }),
      );
      const chain = await verifyReceiptChain(list, jwk, { fromGenesis: !!opts.fromGenesis });
      const summary = { ok: chain.ok, brokenAt: chain.brokenAt, reason: chain.reason };
      if (opts.json) {
        // the claims hold a NIK: the output names op, time and hash only
        printJson({ receipts: each, chain: summary });
      } else {
        printLines([
          ...each.map((r) =>
            r.valid
              ? `#${r.index} valid  ${r.op} iat=${r.iat} hash=${r.hash}`
              : `#${r.index} INVALID ${r.reason}`,
          ),
          chain.ok
            ? `chain ok (${list.length} receipt${list.length === 1 ? '' : 's'})`
            : `chain BROKEN at #${chain.brokenAt}: ${chain.reason}`,
        ]);
      }
      if (!chain.ok) throw new BridgeError('RECEIPT_INVALID', `receipt #${chain.brokenAt}: ${chain.reason}`);
    });
}

async function deviceJwk(opts: ReceiptVerifyOpts): Promise<JWK> {
  if (!!opts.key === !!opts.deviceKeyFrom) {
    throw new BridgeError('INVALID_PARAMS', 'give exactly one of --key JWKFILE or --device-key-from DATADIR');
  }
  if (opts.key) {
    try {
      const value = JSON.parse(readFileSync(opts.key, 'utf8'));
      // `keys show` prints { deviceId, publicKey }; a bare JWK works too
      return (value.publicKey ?? value) as JWK;
    } catch (e) {
      throw new BridgeError('INVALID_PARAMS', `${opts.key}: not a JWK file (${(e as Error).message})`);
    }
  }
  const dir = opts.deviceKeyFrom!;
  // never make a fresh key here: receipts can only match the key that signed them
  if (!existsSync(join(dir, 'device-key.pem'))) {
    throw new BridgeError('INVALID_PARAMS', `${dir} has no device key (device-key.pem)`);
  }
  return (await loadOrCreateDeviceKey(dir)).publicJwk;
}

function readReceipts(input: string): string[] {
  if (COMPACT_JWS.test(input)) return [input];
  let text: string;
  try {
    text = readFileSync(input, 'utf8');
  } catch (e) {
    throw new BridgeError(
      'INVALID_PARAMS',
      `${input}: neither a receipt nor a readable file (${(e as NodeJS.ErrnoException).code})`,
    );
  }
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
