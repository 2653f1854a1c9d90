import { existsSync, readFileSync } from 'node:fs';

/**
 * The built client SDK (npm run build:client), served to the reference page at /client/... so
 * the page runs the very SDK counter applications install. It is dist/client/ from the checkout's
 * root (one URL literal, so that a compiled daemon maps it like its other run-time files). Read
 * once at start. Missing (a checkout where nobody built it): the page's script fails to load and
 * the page says so; `npm start` and `npm test` build it first.
 */
const CLIENT_DIR = new URL('../../dist/client/', import.meta.url);

const FILES: Record<string, string> = {
  'ektp-bridge-client.js': 'text/javascript; charset=utf-8',
  'ektp-bridge-client.mjs': 'text/javascript; charset=utf-8',
};

export interface Asset {
  body: Buffer;
  type: string;
}

/** route -> asset, e.g. '/client/ektp-bridge-client.js'; empty when the SDK is not built. */
export function clientAssets(dir: URL = CLIENT_DIR): Record<string, Asset> {
  return Object.fromEntries(
    Object.entries(FILES)
      .filter(([name]) => existsSync(new URL(name, dir)))
      .map(([name, type]) => [`/client/${name}`, { body: readFileSync(new URL(name, dir)), type }]),
  );
}
