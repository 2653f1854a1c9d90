import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { BridgeError } from '../../protocols/errors.ts';

export interface DeviceKey {
  /** stable id backends register: the RFC 7638 thumbprint of the public key */
  deviceId: string;
  publicJwk: JWK;
  privateKey: KeyObject;
}

const FILE = 'device-key.pem';

/**
 * The daemon's own ES256 key, made on first start in dataDir with mode 0600. Receipts are signed
 * with it so a backend can trust "read"/"verified" without trusting the browser on the counter PC.
 */
export async function loadOrCreateDeviceKey(dataDir: string): Promise<DeviceKey> {
  try {
    return await loadOrCreate(dataDir);
  } catch (e) {
    if (e instanceof BridgeError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new BridgeError(
      'INVALID_PARAMS',
      `dataDir ${dataDir}: cannot read or create the device key (${code}); run as the service user`,
      undefined,
      { cause: e },
    );
  }
}

async function loadOrCreate(dataDir: string): Promise<DeviceKey> {
  const path = join(dataDir, FILE);
  let pem: string;
  if (existsSync(path)) {
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) {
      throw new BridgeError(
        'INVALID_PARAMS',
        `${path} has mode ${mode.toString(8)}; run "chmod 600 ${path}"`,
      );
    }
    pem = readFileSync(path, 'utf8');
  } else {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  const privateKey = createPrivateKey(pem);
  const publicJwk = await exportJWK(createPublicKey(privateKey));
  publicJwk.alg = 'ES256';
  publicJwk.use = 'sig';
  const deviceId = await calculateJwkThumbprint({
    kty: publicJwk.kty!,
    crv: publicJwk.crv,
    x: publicJwk.x,
    y: publicJwk.y,
  });
  publicJwk.kid = deviceId;
  return { deviceId, publicJwk, privateKey };
}
