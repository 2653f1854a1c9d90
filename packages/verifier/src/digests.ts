import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** `prev` of a device's first receipt: base64url of 32 zero bytes. */
export const RECEIPT_GENESIS = 'A'.repeat(43);

/** base64url (no padding) of SHA-256 over bytes, or over a string's UTF-8 bytes. */
export function sha256Base64url(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('base64url');
}

/** RFC 8785 (JCS) text of a JSON value; throws a TypeError for what JCS cannot encode. */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (e) {
    throw new TypeError(`canonical JSON: ${(e as Error).message}`);
  }
  if (text === undefined) throw new TypeError('canonical JSON: nothing to encode');
  return text;
}

/** `cardDigest` of a card record exactly as the daemon returned it in `result.card`. */
export function cardDigest(card: Record<string, unknown>): string {
  return sha256Base64url(canonicalJson(card));
}

/**
 * The bytes of `result.image` (docs/receipts-and-tickets.md "Digests"): RFC 4648 §4 base64 exactly as
 * the daemon writes it, the standard alphabet with `=` padding and nothing else. Throws a TypeError
 * for any other text (base64url, missing padding, whitespace, non-zero trailing bits), which
 * Buffer.from(text, 'base64') would silently accept.
 */
export function decodeImageBase64(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || bytes.toString('base64') !== text) {
    throw new TypeError('image is not standard base64 (RFC 4648 §4, padded)');
  }
  return bytes;
}

/**
 * `imageDigest` of a finger.capture result: over the PNG bytes (not the base64 text). A string
 * must be standard padded base64 (decodeImageBase64), else a TypeError.
 */
export function imageDigest(image: Uint8Array | string): string {
  return sha256Base64url(typeof image === 'string' ? decodeImageBase64(image) : image);
}

/** `candidatesDigest` of a finger.identify result: over `result.candidates` as returned. */
export function candidatesDigest(candidates: readonly unknown[]): string {
  return sha256Base64url(canonicalJson(candidates));
}

/** `templatesDigest`: SHA-256 over the ISO/IEC 19794-2 records, concatenated in card order. */
export function templatesDigest(records: readonly Uint8Array[]): string {
  const h = createHash('sha256');
  for (const r of records) h.update(r);
  return h.digest('base64url');
}

/** What the next receipt's `prev` holds: SHA-256 of this receipt's compact JWS as ASCII. */
export function receiptHash(jws: string): string {
  return createHash('sha256').update(jws, 'ascii').digest('base64url');
}
