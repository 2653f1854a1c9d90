/**
 * The strict decodings of docs/receipts-and-tickets.md that the vectors show once each: the forwarded
 * image is the daemon's standard padded base64 and nothing else, and a nonce counts code points.
 */
import { describe, expect, it } from 'vitest';
import { decodeImageBase64, imageDigest, isValidNonce, sha256Base64url } from '../src/index.ts';

const bytes = Uint8Array.of(0xfb, 0xff, 0xfe, 0x01);
const standard = Buffer.from(bytes).toString('base64'); // '+//+AQ=='

describe('forwarded image: RFC 4648 §4 base64 exactly as the daemon writes it', () => {
  it('decodes the daemon text; imageDigest is over the bytes', () => {
    expect(standard).toBe('+//+AQ==');
    expect(decodeImageBase64(standard)).toEqual(Buffer.from(bytes));
    expect(imageDigest(standard)).toBe(sha256Base64url(bytes));
    expect(decodeImageBase64('')).toHaveLength(0);
  });

  it.each([
    ['base64url alphabet', '-__-AQ=='],
    ['base64url, unpadded', '-__-AQ'],
    ['missing padding', '+//+AQ'],
    ['extra padding', '+//+AQ==='],
    ['a line break', '+//+\nAQ=='],
    ['a space', '+//+ AQ=='],
    ['non-zero bits after the last byte', '+//+AR=='],
    ['padding inside', '+/=/+AQ='],
  ])('refuses %s', (_why, text) => {
    expect(() => decodeImageBase64(text)).toThrow(TypeError);
    expect(() => imageDigest(text)).toThrow(TypeError);
  });
});

describe('nonce: 1..256 Unicode code points, well-formed', () => {
  it('counts code points, not UTF-16 code units', () => {
    expect(isValidNonce('a'.repeat(256))).toBe(true);
    expect(isValidNonce('\u{1F600}'.repeat(256))).toBe(true);
    expect(isValidNonce('a'.repeat(257))).toBe(false);
    expect(isValidNonce('\u{1F600}'.repeat(257))).toBe(false);
    expect(isValidNonce('')).toBe(false);
    expect(isValidNonce('n-\ud800')).toBe(false);
    expect(isValidNonce('n-\udc00x')).toBe(false);
  });
});
