/**
 * Who may open the WebSocket (architecture.md, security stance). A daemon on a PC that also browses
 * the web must refuse any page that is not the counter application (Origin), and any request that
 * reached it through a DNS name rebound to 127.0.0.1 (Host). Pure functions of the headers.
 */
export type GuardVerdict = { ok: true; origin: string } | { ok: false; reason: 'origin' | 'host' };

// Host header: a loopback name, optionally with a port. Nothing else, not even a trailing dot.
const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/i;

export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host);
}

/** The daemon's own origins, for its reference page (security.allowSelfOrigin). */
export function selfOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`];
}

/**
 * Origins compare exactly, after lower-casing (scheme and host are case-insensitive in URLs, and
 * browsers send them lower case anyway). No wildcard, no prefix match, no trailing slash.
 */
export function originAllowlist(configured: string[], allowSelf: boolean, port: number): Set<string> {
  const all = allowSelf ? [...configured, ...selfOrigins(port)] : configured;
  return new Set(all.map((o) => o.toLowerCase()));
}

export function checkUpgrade(
  headers: { origin?: string | string[]; host?: string | string[] },
  allowlist: ReadonlySet<string>,
): GuardVerdict {
  const host = single(headers.host);
  if (!isLoopbackHost(host)) return { ok: false, reason: 'host' };
  const origin = single(headers.origin);
  if (origin === undefined || !allowlist.has(origin.toLowerCase())) return { ok: false, reason: 'origin' };
  return { ok: true, origin };
}

// A repeated header is suspicious, not a list to choose from.
function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? undefined : v;
}

/**
 * Host and Origin as the client sent them, from `req.rawHeaders` (name, value, name, value...):
 * a header sent more than once comes back as an array, which every check here refuses. Node's
 * `req.headers` cannot be used for this: it keeps only the first Host (so a loopback Host followed
 * by a foreign one would pass) and joins repeated Origins with ", ".
 */
export function upgradeHeaders(rawHeaders: readonly string[]): {
  host?: string | string[];
  origin?: string | string[];
} {
  const out: { host?: string | string[]; origin?: string | string[] } = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (name !== 'host' && name !== 'origin') continue;
    const value = rawHeaders[i + 1];
    const seen = out[name];
    out[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return out;
}

/** One Host header, a loopback one (HTTP routes: DNS rebinding and doubled Hosts alike). */
export function hasLoopbackHost(rawHeaders: readonly string[]): boolean {
  return isLoopbackHost(single(upgradeHeaders(rawHeaders).host));
}

/**
 * The check of every HTTP route: one loopback Host, and a request target in origin form (`/path`).
 * An absolute-form target (`GET http://evil.example/health`) names its own authority, which RFC
 * 9112 says wins over Host: it is refused rather than judged by the Host it overrides.
 */
export function isLoopbackRequest(req: { rawHeaders: readonly string[]; url?: string }): boolean {
  return (req.url ?? '').startsWith('/') && hasLoopbackHost(req.rawHeaders);
}

/** The Origin header when it was sent exactly once; undefined when absent or repeated. */
export function singleOrigin(rawHeaders: readonly string[]): string | undefined {
  return single(upgradeHeaders(rawHeaders).origin);
}
