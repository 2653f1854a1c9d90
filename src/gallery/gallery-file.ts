/**
 * A gallery file for finger.identify (docs/gallery.md): a compact JWS (ES256) signed by one of the
 * backend keys in `gallery.keys`, whose payload is { typ, name, aud, iat, entries: [{ id, iso }] }.
 *
 * Everything is checked before anything is used: signature, payload shape, each id, each ISO/IEC
 * 19794-2 record. The first defect refuses the whole file, so a gallery is either loaded entirely or
 * not at all. Error messages name the file and the entry's index, never an id or a record: ids may be
 * NIKs, records are biometric data.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { compactVerify, errors as joseErrors } from 'jose';
import { GALLERY_TYPE } from '../../packages/verifier/src/gallery.ts';
import { decodeIso19794_2 } from '../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../protocols/biometrics/types.ts';
import { BridgeError } from '../../protocols/errors.ts';

export { GALLERY_TYPE };
export const GALLERY_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_ID_LENGTH = 64;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface GalleryLimits {
  maxEntries: number;
  maxFileBytes: number;
}

export interface VerifiedGallery {
  name: string;
  iat: number;
  ids: string[];
  sets: MinutiaeSet[];
  /**
   * base64url SHA-256 of the compact JWS as ASCII (the file's text without the whitespace around it:
   * a final newline, CRLF, a BOM): which version is loaded, without saying what is in it; receipts'
   * galleryDigest
   */
  digest: string;
}

function refused(where: string, why: string): BridgeError {
  return new BridgeError('INVALID_PARAMS', `gallery ${where} refused: ${why}`, { check: why });
}

/**
 * Checks a gallery file's text against the trusted keys and this device's id; returns the decoded
 * gallery, or throws INVALID_PARAMS naming the first defect.
 */
export async function verifyGalleryFile(
  text: string,
  keys: readonly KeyObject[],
  deviceId: string | undefined,
  limits: GalleryLimits,
  where = 'file',
): Promise<VerifiedGallery> {
  if (text.length > limits.maxFileBytes) refusedThrow(where, `larger than ${limits.maxFileBytes} bytes`);
  const token = text.trim();
  if (!COMPACT_JWS.test(token)) refusedThrow(where, 'not a compact JWS');
  if (keys.length === 0) refusedThrow(where, 'no gallery key is configured (gallery.keys)');
  const header = jsonPart(token.slice(0, token.indexOf('.')), where, 'header');
  if (header.alg !== 'ES256') refusedThrow(where, 'alg is not ES256');
  const payload = await verifySignature(token, keys, where);
  const p = jsonPart(Buffer.from(payload).toString('base64url'), where, 'payload');
  if (p.typ !== GALLERY_TYPE) refusedThrow(where, `typ is not ${GALLERY_TYPE}`);
  if (typeof p.name !== 'string' || !GALLERY_NAME.test(p.name))
    refusedThrow(where, 'name must be 1..64 of A-Z a-z 0-9 . _ -');
  if (typeof p.iat !== 'number' || !Number.isFinite(p.iat)) refusedThrow(where, 'iat missing');
  if (p.aud !== '*' && (deviceId === undefined || p.aud !== deviceId))
    refusedThrow(where, 'aud is not this device');
  if (!Array.isArray(p.entries) || p.entries.length === 0) refusedThrow(where, 'entries is empty');
  const entries = p.entries as unknown[];
  if (entries.length > limits.maxEntries)
    refusedThrow(where, `more than ${limits.maxEntries} entries (gallery.maxEntries)`);
  const ids: string[] = [];
  const sets: MinutiaeSet[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as { id?: unknown; iso?: unknown };
    if (typeof e !== 'object' || e === null) refusedThrow(where, `entry ${i} is not an object`);
    if (typeof e.id !== 'string' || e.id === '' || e.id.length > MAX_ID_LENGTH)
      refusedThrow(where, `entry ${i}: id must be 1..${MAX_ID_LENGTH} characters`);
    if (seen.has(e.id)) refusedThrow(where, `entry ${i}: id repeats an earlier entry`);
    if (typeof e.iso !== 'string' || !/^[A-Za-z0-9_-]+$/.test(e.iso))
      refusedThrow(where, `entry ${i}: iso is not base64url`);
    let set: MinutiaeSet;
    try {
      set = decodeIso19794_2(new Uint8Array(Buffer.from(e.iso, 'base64url')));
    } catch {
      refusedThrow(where, `entry ${i}: not an ISO/IEC 19794-2 record`);
    }
    if (set.minutiae.length === 0) refusedThrow(where, `entry ${i}: the record has no minutiae`);
    seen.add(e.id);
    ids.push(e.id);
    sets.push(set);
  }
  return {
    name: p.name as string,
    iat: p.iat as number,
    ids,
    sets,
    digest: createHash('sha256').update(token, 'ascii').digest('base64url'),
  };
}

function refusedThrow(where: string, why: string): never {
  throw refused(where, why);
}

async function verifySignature(
  token: string,
  keys: readonly KeyObject[],
  where: string,
): Promise<Uint8Array> {
  for (const key of keys) {
    try {
      return (await compactVerify(token, key, { algorithms: ['ES256'] })).payload;
    } catch (e) {
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) continue;
      refusedThrow(where, 'malformed JWS');
    }
  }
  refusedThrow(where, 'the signature does not match any gallery key');
}

function jsonPart(part: string, where: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    refusedThrow(where, `${what} is not JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    refusedThrow(where, `${what} is not an object`);
  return v as Record<string, unknown>;
}
