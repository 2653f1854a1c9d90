import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserId, LNA_POLICY_NAMES, lnaPolicies, policyFiles } from './policies.ts';

export interface PolicyCheck {
  ok: boolean;
  detail: string;
}

/**
 * What `doctor` says about the browser policies under `root`: each browser's ektp-bridge.json must
 * list exactly the configured origins, or the counter application's pages will be refused by the
 * browser (Local Network Access) while the daemon itself looks healthy. A browser whose file is
 * missing is reported only when no browser has one (the PC may have just one of the three).
 */
export function checkInstalledPolicies(root: string, allowedOrigins: readonly string[]): PolicyCheck {
  if (allowedOrigins.length === 0) {
    return { ok: true, detail: 'security.allowedOrigins is empty: only the daemon’s own page is served' };
  }
  const expected = JSON.stringify(lnaPolicies(allowedOrigins));
  const fix = 'run "sudo ektp-bridge browser-policy --write"';
  const current: BrowserId[] = [];
  const stale: BrowserId[] = [];
  for (const file of policyFiles(allowedOrigins)) {
    const path = join(root, file.path);
    if (!existsSync(path)) continue;
    let installed: unknown;
    try {
      installed = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      stale.push(file.browser);
      continue;
    }
    const lists = Object.fromEntries(
      LNA_POLICY_NAMES.map((n) => [n, (installed as Record<string, unknown>)?.[n] ?? null]),
    );
    (JSON.stringify(lists) === expected ? current : stale).push(file.browser);
  }
  if (stale.length) {
    return {
      ok: false,
      detail: `policy of ${stale.join(', ')} does not list exactly security.allowedOrigins: ${fix}`,
    };
  }
  if (!current.length) {
    return {
      ok: false,
      detail: `no browser policy installed: Chrome/Edge will refuse pages of ${allowedOrigins.join(', ')} (Local Network Access); ${fix}`,
    };
  }
  return {
    ok: true,
    detail: `Local Network Access policy for ${allowedOrigins.length} origin(s) in ${current.join(', ')}`,
  };
}
