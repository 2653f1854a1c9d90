/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a value, used for the audit log's hashes and for
 * the receipts' digests, which a backend recomputes in its own language. It is packages/verifier's
 * (the `canonicalize` package, by an RFC 8785 author, checked against the RFC's test values in
 * test/vectors/jcs/): one implementation for signer and checker. It refuses what RFC 8785 cannot
 * encode (NaN, Infinity, lone surrogates, a bare undefined) with a TypeError.
 */
export { canonicalJson } from '../../packages/verifier/src/digests.ts';
