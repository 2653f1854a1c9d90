import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/audit/canonical-json.ts';
import { REPO_ROOT } from '../../shared-data.ts';

/** RFC 8785's own test values (Appendix B numbers, sections 3.2.2 and 3.2.3 documents). */
const VECTORS = JSON.parse(readFileSync(join(REPO_ROOT, 'test/vectors/jcs/rfc8785.json'), 'utf8')) as {
  numbers: { bits: string; canonical: string | null }[];
  documents: { name: string; input: string; canonical: string }[];
};

function fromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

describe('canonicalJson conforms to RFC 8785', () => {
  it.each(VECTORS.numbers)('number $bits -> $canonical', ({ bits, canonical }) => {
    const n = fromBits(bits);
    if (canonical === null) expect(() => canonicalJson(n)).toThrow(TypeError);
    else expect(canonicalJson(n)).toBe(canonical);
  });

  it.each(VECTORS.documents)('document "$name"', ({ input, canonical }) => {
    expect(canonicalJson(JSON.parse(input))).toBe(canonical);
  });

  it('escapes control characters as lower-case \\u00xx and keeps the rest literal', () => {
    expect(canonicalJson('\u0000\u001f\u007f\b\t\n\f\r"\\é')).toBe(
      '"\\u0000\\u001f\u007f\\b\\t\\n\\f\\r\\"\\\\é"',
    );
  });

  it('refuses what RFC 8785 cannot encode: lone surrogates, undefined', () => {
    expect(() => canonicalJson({ a: '\ud800' })).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });

  it('drops undefined members, as JSON.stringify does on the wire', () => {
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
  });
});
