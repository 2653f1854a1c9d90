import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, type JWK } from 'jose';
import { BridgeError } from '../../protocols/errors.ts';
import { ownerForNewFile, writeFileExclusive } from '../receipts/atomic-file.ts';
import { MAX_TICKET_LIFETIME_S, mintTicket } from './tickets.ts';

/**
 * A stand-in for a counter application's backend, for demos and development only. `serve --simulate`
 * makes its key pair and trusts its PUBLIC key as one more ticket key, so tickets are still checked
 * exactly as in production: the check is never switched off, there is just a backend on this machine.
 * A production configuration never contains this key (it lives only in a simulate data directory).
 */
export const DEV_BACKEND_KEY_FILE = 'dev-backend-key.pem';
export const DEFAULT_DEV_TICKET_TTL_S = 120;

export interface DevTicketRequest {
  op: string;
  scope: string[];
  origin: string;
  /** the device id; `*` (any device) by default */
  aud?: string;
  /** seconds, 1..300 (default 120) */
  ttlSeconds?: number;
}

export interface DevBackend {
  /** add this to security.ticketKeys when simulating */
  publicJwk: JWK;
  /** a fresh ticket (random nonce, iat now) signed with the development key */
  mint(req: DevTicketRequest): Promise<string>;
}

/** Makes the development backend key in dataDir (mode 0600) if needed; called when `serve --simulate` starts. */
export async function ensureDevBackend(dataDir: string, now: () => number = Date.now): Promise<DevBackend> {
  const path = join(dataDir, DEV_BACKEND_KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    try {
      // made by a command run as root (read --simulate), it still belongs to dataDir's owner
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      writeFileExclusive(path, pem, ownerForNewFile(dataDir));
    } catch (e) {
      // another process made it first: use theirs
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    chmodSync(path, 0o600);
  }
  return loadDevBackend(dataDir, now);
}

/** The development backend of a machine that ran `serve --simulate`; refuses anywhere else. */
export async function loadDevBackend(dataDir: string, now: () => number = Date.now): Promise<DevBackend> {
  const path = join(dataDir, DEV_BACKEND_KEY_FILE);
  if (!existsSync(path)) {
    throw new BridgeError(
      'INVALID_PARAMS',
      `no development backend key in ${dataDir}: tickets can be minted here only after "ektp-bridge serve --simulate" ran with this data directory`,
    );
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077)
    throw new BridgeError('INVALID_PARAMS', `${path} has mode ${mode.toString(8)}; run "chmod 600 ${path}"`);
  const privateKey = createPrivateKey(readFileSync(path, 'utf8'));
  const publicJwk = await exportJWK(createPublicKey(privateKey));
  publicJwk.alg = 'ES256';
  publicJwk.use = 'sig';
  publicJwk.kid = 'ektp-bridge-dev-backend';
  return {
    publicJwk,
    async mint(req) {
      const ttl = req.ttlSeconds ?? DEFAULT_DEV_TICKET_TTL_S;
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TICKET_LIFETIME_S) {
        throw new BridgeError('INVALID_PARAMS', `ttl must be 1..${MAX_TICKET_LIFETIME_S} seconds`);
      }
      const iat = Math.floor(now() / 1000);
      return mintTicket(
        privateKey,
        {
          aud: req.aud ?? '*',
          origin: req.origin,
          op: req.op,
          scope: [...req.scope],
          nonce: randomBytes(16).toString('base64url'),
          iat,
          exp: iat + ttl,
        },
        { kid: publicJwk.kid },
      );
    },
  };
}
