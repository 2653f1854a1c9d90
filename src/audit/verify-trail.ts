import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { loadOrCreateDeviceKey } from '../keys/device-key.ts';
import { RECEIPT_CHAIN_FILE } from '../receipts/receipt-signer.ts';
import { auditKeyFromDeviceKey } from './audit-key.ts';
import { auditLogPath } from './audit-log.ts';
import { type AuditVerifyOptions, type AuditVerifyResult, verifyAuditLog } from './verify-audit-log.ts';

const DEVICE_KEY_FILE = 'device-key.pem';

export interface VerifyTrailOptions {
  /**
   * The device's public key (a JWK, as `ektp-bridge keys show` prints it) when the private key is not
   * at hand (an exported copy of the log): signatures are checked, macs are not.
   */
  publicJwk?: JWK;
}

/**
 * `ektp-bridge audit verify`: the whole audit trail of a data directory (rotated files and the
 * current one), with the device key found there (macs and checkpoint signatures) and against the
 * receipt chain head kept there. Never creates a key: a directory without one is checked as far
 * as it can be, and the result says what was not.
 */
export async function verifyAuditTrail(
  dataDir: string,
  opts: VerifyTrailOptions = {},
): Promise<AuditVerifyResult & { path: string }> {
  const path = auditLogPath(dataDir);
  const verify: AuditVerifyOptions = {};
  const notes: string[] = [];
  if (opts.publicJwk) {
    verify.publicKey = createPublicKey({ key: opts.publicJwk, format: 'jwk' });
    verify.deviceId = opts.publicJwk.kid;
  } else if (existsSync(join(dataDir, DEVICE_KEY_FILE))) {
    try {
      const key = auditKeyFromDeviceKey(await loadOrCreateDeviceKey(dataDir));
      Object.assign(verify, { macKey: key.macKey, publicKey: key.publicKey, deviceId: key.deviceId });
    } catch (e) {
      notes.push(`device key not usable: ${(e as Error).message}`);
    }
  }
  const chain = readChainHead(join(dataDir, RECEIPT_CHAIN_FILE));
  if (chain === 'unreadable') notes.push(`${RECEIPT_CHAIN_FILE} is not readable`);
  else if (chain && verify.deviceId !== undefined && chain.deviceId !== verify.deviceId) {
    notes.push(`${RECEIPT_CHAIN_FILE} belongs to another device key: not compared`);
  } else if (chain) verify.receiptHead = chain.head;
  const result = await verifyAuditLog(path, verify);
  result.warnings.push(...notes);
  return { path, ...result };
}

function readChainHead(file: string): { deviceId: string; head: string } | 'unreadable' | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof v?.deviceId === 'string' && typeof v.head === 'string') return v;
  } catch {
    /* reported below */
  }
  return 'unreadable';
}
