import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a value: object keys sorted by UTF-16 code unit,
 * no whitespace, numbers as ECMAScript writes them, strings with JSON's minimal escaping. Used for
 * the audit log's hashes and for a card.read receipt's `cardDigest`, which a backend recomputes in
 * its own language: so it is the `canonicalize` package (by an RFC 8785 author), checked against the
 * RFC's test values in test/vectors/jcs/, not a home-made approximation.
 *
 * Refuses what RFC 8785 cannot encode (NaN, Infinity, lone surrogates, a bare undefined) with a
 * TypeError rather than writing text another implementation would hash differently.
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (e) {
    throw new TypeError(`canonical JSON: ${(e as Error).message}`);
  }
  if (text === undefined) throw new TypeError(`canonical JSON: cannot encode a ${typeof value}`);
  return text;
}
