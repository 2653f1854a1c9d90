import { existsSync, readFileSync } from 'node:fs';

/**
 * The built client SDK (npm run build:client), served to the reference page at /client/... so
 * the page runs the very SDK counter applications install. Looked for where the build puts it:
 * dist/client/ of a checkout (running from src/ through tsx), or a client/ folder next to the
 * compiled daemon. Read once at start. Missing (a checkout where nobody built it): the page's
 * script tag fails to load and the page says so; `npm start` and `npm test` build it first.
 */
const CANDIDATE_DIRS = [
  new URL('../../dist/client/', import.meta.url),
  new URL('./client/', import.meta.url),
];

const FILES: Record<string, string> = {
  'ektp-bridge-client.js': 'text/javascript; charset=utf-8',
  'ektp-bridge-client.mjs': 'text/javascript; charset=utf-8',
};

export interface Asset {
  body: Buffer;
  type: string;
}

/** route -> asset, e.g. '/client/ektp-bridge-client.js'; empty when the SDK is not built. */
export function clientAssets(dirs: readonly URL[] = CANDIDATE_DIRS): Record<string, Asset> {
  const dir = dirs.find((d) => existsSync(new URL('ektp-bridge-client.js', d)));
  if (!dir) return {};
  return Object.fromEntries(
    Object.entries(FILES)
      .filter(([name]) => existsSync(new URL(name, dir)))
      .map(([name, type]) => [`/client/${name}`, { body: readFileSync(new URL(name, dir)), type }]),
  );
}
