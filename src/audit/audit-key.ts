import {
  createHmac,
  createPublicKey,
  hkdfSync,
  type KeyObject,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import type { DeviceKey } from '../keys/device-key.ts';
import type { AuditEntry } from './audit-entry.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * What makes the audit trail impossible to rewrite quietly. A hash chain alone is not: whoever edits
 * a line can recompute every hash after it. So:
 * - every entry carries `mac` = HMAC-SHA256(macKey, hash), macKey derived (HKDF) from the device's
 *   private key: an edit with the hashes recomputed fails the mac of the edited line;
 * - `checkpoint` lines are signed with the device key itself (ES256): they vouch for every line
 *   before them (through prevHash) to anyone holding only the device's public key (a backend, an
 *   auditor with an exported copy of the log).
 */
export interface AuditKey {
  deviceId: string;
  macKey: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const MAC_SALT = 'ektp-bridge audit log';
const MAC_INFO = 'entry mac v1';

/** The audit key of a device: derived from its private key, so there is no second secret to keep. */
export function auditKeyFromDeviceKey(key: Pick<DeviceKey, 'deviceId' | 'privateKey'>): AuditKey {
  const d = key.privateKey.export({ format: 'jwk' }).d;
  if (!d) throw new TypeError('audit key: the device key has no private part');
  const macKey = Buffer.from(hkdfSync('sha256', Buffer.from(d, 'base64url'), MAC_SALT, MAC_INFO, 32));
  return {
    deviceId: key.deviceId,
    macKey,
    privateKey: key.privateKey,
    publicKey: createPublicKey(key.privateKey),
  };
}

export function entryMac(macKey: Buffer, hash: string): string {
  return createHmac('sha256', macKey).update(hash, 'utf8').digest('base64url');
}

export function macMatches(macKey: Buffer, entry: Pick<AuditEntry, 'hash' | 'mac'>): boolean {
  if (typeof entry.mac !== 'string') return false;
  const want = Buffer.from(entryMac(macKey, entry.hash));
  const got = Buffer.from(entry.mac);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** What a checkpoint's signature covers: the entry without hash, mac and sig (it includes prevHash). */
function signedBytes(body: Record<string, unknown>): Buffer {
  const { hash: _h, mac: _m, sig: _s, ...rest } = body;
  return Buffer.from(canonicalJson(rest), 'utf8');
}

/** ES256 (IEEE P1363 r||s, base64url, as in a JWS) over the checkpoint's signed bytes. */
export function signCheckpoint(privateKey: KeyObject, body: Record<string, unknown>): string {
  return sign('sha256', signedBytes(body), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString(
    'base64url',
  );
}

export function checkpointSignatureValid(publicKey: KeyObject, entry: Record<string, unknown>): boolean {
  if (typeof entry.sig !== 'string') return false;
  return verify(
    'sha256',
    signedBytes(entry),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(entry.sig, 'base64url'),
  );
}
