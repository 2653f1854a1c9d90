/**
 * Canonical JSON for hashing: object keys sorted by code unit, no whitespace, values as
 * JSON.stringify writes them. For the values the audit log holds (strings, finite numbers, booleans,
 * null, flat objects) this is RFC 8785 (JCS), so a verifier in another language gets the same bytes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('canonical JSON: non-finite number');
    const s = JSON.stringify(value);
    if (s === undefined) throw new TypeError(`canonical JSON: cannot encode a ${typeof value}`);
    return s;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}
