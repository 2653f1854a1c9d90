import { EktpBridgeError } from './client-error.ts';

/**
 * Why a WebSocket to the daemon did not open. A browser gives the page only close code 1006 for
 * every cause, so the SDK asks two other witnesses, in this order:
 *
 * 1. The Permissions API: Chromium exposes Local Network Access as the permissions
 *    `loopback-network` (the daemon is on loopback; Chromium >= 146) and `local-network-access`
 *    (the older, wider name). `denied` after a failed attempt means the browser refused the
 *    connection itself: LOCAL_NETWORK_BLOCKED. (Verified in Chromium 156: `prompt` before the
 *    attempt, `denied` after it when no policy exempts the origin.)
 * 2. GET /v1/status on the daemon, a CORS-readable answer to "is this Origin allowed?". No answer
 *    at all: DAEMON_UNREACHABLE. `allowed: false`: ORIGIN_FORBIDDEN (the WebSocket upgrade itself
 *    answers a bare 403 that a page cannot read).
 *
 * A connect() that times out while the permission reads `prompt` is the browser asking the user:
 * LOCAL_NETWORK_BLOCKED too (the policy is what makes the prompt go away).
 *
 * What cannot be told apart: in a browser without those permission names (Firefox, Safari, old
 * Chrome), a blocked request and a stopped daemon both look like "no answer": DAEMON_UNREACHABLE,
 * with `detail.localNetworkPermission` saying what the browser reported.
 */
export interface DiagnoseOptions {
  /** Node only: the Origin header to send with the status probe */
  origin?: string;
  /** how long the status probe may take (ms) */
  timeoutMs?: number;
}

type PermissionState = 'granted' | 'denied' | 'prompt';
const LNA_PERMISSIONS = ['loopback-network', 'local-network-access'] as const;

export async function diagnoseConnectFailure(
  wsUrl: string,
  closeCode: number | undefined,
  opts: DiagnoseOptions = {},
): Promise<EktpBridgeError> {
  const permission = await localNetworkPermission();
  const base = { url: wsUrl, closeCode, localNetworkPermission: permission?.state ?? 'unsupported' };
  if (permission?.state === 'denied') {
    return EktpBridgeError.connection('LOCAL_NETWORK_BLOCKED', { ...base, permission: permission.name });
  }
  // No answer within the connect timeout while the browser still says `prompt`: it is asking the
  // user (a browser without the policy shows a permission prompt). A `prompt` after a failure that
  // came at once means nothing: pages the check does not apply to also read `prompt`.
  if (closeCode === undefined && permission?.state === 'prompt') {
    return EktpBridgeError.connection('LOCAL_NETWORK_BLOCKED', {
      ...base,
      permission: permission.name,
      waitingForUser: true,
    });
  }
  const status = await probeStatus(wsUrl, opts);
  if (status === undefined) return EktpBridgeError.connection('DAEMON_UNREACHABLE', base);
  // a daemon that answers the probe with an error (an older one without it, a wrong Host) cannot
  // say whether our origin is allowed
  if (status.httpStatus !== 200) {
    return EktpBridgeError.connection('DAEMON_UNREACHABLE', { ...base, statusHttp: status.httpStatus });
  }
  if (!status.allowed) return EktpBridgeError.connection('ORIGIN_FORBIDDEN', base);
  // It answers and allows us, yet the upgrade failed: a proxy, a wrong Host, or the daemon
  // stopping at that moment. Nothing the officer can distinguish from "not there".
  return EktpBridgeError.connection('DAEMON_UNREACHABLE', { ...base, statusAllowed: true });
}

/** The Local Network Access permission state, under the first name this browser knows. */
export async function localNetworkPermission(): Promise<
  { name: string; state: PermissionState } | undefined
> {
  const permissions = (
    globalThis as {
      navigator?: { permissions?: { query(d: { name: string }): Promise<{ state: PermissionState }> } };
    }
  ).navigator?.permissions;
  if (!permissions) return undefined;
  for (const name of LNA_PERMISSIONS) {
    try {
      const { state } = await permissions.query({ name });
      return { name, state };
    } catch {
      // this browser does not know that permission name: try the next
    }
  }
  return undefined;
}

/** The daemon's GET /v1/status next to the WebSocket URL; undefined when nothing answers. */
export async function probeStatus(
  wsUrl: string,
  opts: DiagnoseOptions = {},
): Promise<{ allowed: boolean; apiVersion?: number; httpStatus: number } | undefined> {
  let url: URL;
  try {
    url = new URL(wsUrl);
  } catch {
    return undefined;
  }
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/status`;
  try {
    const res = await fetch(url, {
      method: 'GET',
      cache: 'no-store',
      credentials: 'omit',
      // Node's fetch lets us say which origin we speak for; browsers send their own and ignore this
      headers: opts.origin !== undefined ? { origin: opts.origin } : undefined,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 3000),
    });
    if (!res.ok) return { allowed: false, httpStatus: res.status };
    const body = (await res.json()) as { allowed?: unknown; apiVersion?: unknown };
    return {
      httpStatus: res.status,
      allowed: body.allowed === true,
      apiVersion: typeof body.apiVersion === 'number' ? body.apiVersion : undefined,
    };
  } catch {
    return undefined;
  }
}
