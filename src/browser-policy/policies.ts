/**
 * The managed browser policies that let the counter application's pages reach the daemon through
 * Chromium's Local Network Access (LNA) checks. A page served from the agency's https server is
 * "public" to the browser; the daemon listens on loopback; since Chrome 142 such a request needs the
 * user's permission, which a counter officer must never be asked for, or an enterprise policy.
 *
 * Policy names, verified in Chromium 156 (chrome://policy shows them "OK", and by behaviour: a page
 * on a public-treated origin opens ws://127.0.0.1 only with one of them):
 * - `LocalNetworkAccessAllowedForUrls`: the first LNA policy (Chrome/Edge >= 139/140); exempts the
 *   origin from every LNA check (loopback and the local network).
 * - `LoopbackNetworkAllowedForUrls`: the loopback-only policy of the split permission (Chrome/Edge
 *   >= 146); exactly what the daemon needs.
 * `LocalNetworkAllowedForUrls` (local network only) does NOT open loopback, so it is not written.
 * Both are written so that every browser generation on the fleet works; a browser ignores a policy
 * name it does not know (chrome://policy lists it as unknown, nothing else happens).
 *
 * Pure: origins in, file contents out. Writing them is browser-policy-files.ts.
 */
export const LNA_POLICY_NAMES = [
  'LocalNetworkAccessAllowedForUrls',
  'LoopbackNetworkAllowedForUrls',
] as const;
export type LnaPolicyName = (typeof LNA_POLICY_NAMES)[number];

export type BrowserId = 'chromium' | 'chrome' | 'edge';

/** Where each browser reads its managed (mandatory) policies on Linux, relative to the root. */
export const MANAGED_POLICY_DIRS: Record<BrowserId, string> = {
  chromium: 'etc/chromium/policies/managed',
  chrome: 'etc/opt/chrome/policies/managed',
  edge: 'etc/opt/edge/policies/managed',
};

/** One file of ours per browser: the browser reads every *.json in the folder. */
export const POLICY_FILE_NAME = 'ektp-bridge.json';

export interface PolicyFile {
  browser: BrowserId;
  /** path relative to the root, without a leading slash */
  path: string;
  policies: Record<LnaPolicyName, string[]>;
}

/**
 * The policy lists for a set of allowed origins. Each origin (already validated by the config
 * schema as scheme://host[:port]) is an exact URL pattern: no wildcard, so exactly the configured
 * origins are exempted. Sorted and de-duplicated so that the files are stable across runs.
 */
export function lnaPolicies(allowedOrigins: readonly string[]): Record<LnaPolicyName, string[]> {
  const patterns = [...new Set(allowedOrigins.map(originPattern))].sort();
  return Object.fromEntries(LNA_POLICY_NAMES.map((n) => [n, [...patterns]])) as Record<
    LnaPolicyName,
    string[]
  >;
}

export function policyFiles(allowedOrigins: readonly string[]): PolicyFile[] {
  const policies = lnaPolicies(allowedOrigins);
  return (Object.keys(MANAGED_POLICY_DIRS) as BrowserId[]).map((browser) => ({
    browser,
    path: `${MANAGED_POLICY_DIRS[browser]}/${POLICY_FILE_NAME}`,
    policies,
  }));
}

/** The file's text: JSON with a trailing newline, as an administrator would write it. */
export function policyFileText(file: PolicyFile): string {
  return `${JSON.stringify(file.policies, null, 2)}\n`;
}

/**
 * An origin as an enterprise URL pattern. Lower case (origins compare case-insensitively) and
 * without a default port, because Chrome's pattern "https://host" already means port 443 and the
 * daemon's allowlist compares the origin the browser sends, which never carries a default port.
 */
export function originPattern(origin: string): string {
  const u = new URL(origin);
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin === 'null') {
    throw new TypeError(`not an http(s) origin: ${origin}`);
  }
  return u.origin;
}
