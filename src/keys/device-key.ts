import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { BridgeError } from '../../protocols/errors.ts';
import { accessProblem, chownCommand, currentAccount, serviceAccount } from '../config/accounts.ts';
import { ownerForNewFile, writeFileExclusive } from '../receipts/atomic-file.ts';

export interface DeviceKey {
  /** stable id backends register: the RFC 7638 thumbprint of the public key */
  deviceId: string;
  publicJwk: JWK;
  privateKey: KeyObject;
}

const FILE = 'device-key.pem';

/**
 * The daemon's own ES256 key, made on first start in dataDir with mode 0600 (made by a command run
 * as root, e.g. `keys show` before the first start, it still belongs to dataDir's owner). Receipts are signed
 * with it so a backend can trust "read"/"verified" without trusting the browser on the counter PC.
 */
export async function loadOrCreateDeviceKey(dataDir: string): Promise<DeviceKey> {
  try {
    return await loadOrCreate(dataDir);
  } catch (e) {
    if (e instanceof BridgeError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EACCES' || code === 'EPERM' ? accessFix(dataDir) : 'run as the service user';
    throw new BridgeError(
      'INVALID_PARAMS',
      `dataDir ${dataDir}: cannot read or create the device key (${code}); ${why}`,
      undefined,
      { cause: e },
    );
  }
}

/**
 * What to do about EACCES: run as dataDir's owner when this is another user; when it is that user
 * already, the file or folder in the way (a key left root's by a command run as root) and its chown.
 */
function accessFix(dataDir: string): string {
  const me = currentAccount();
  const svc = serviceAccount(dataDir);
  if (svc && svc.uid !== me.uid && me.uid !== 0) {
    return `it belongs to user ${svc.name}: run as that user (runuser -u ${svc.name} -- ektp-bridge …)`;
  }
  const key = join(dataDir, FILE);
  const target = existsSync(key) ? key : dataDir;
  const problem = accessProblem(target, me, target === key ? 'read' : 'write');
  if (!problem) return `user ${me.name} may not use ${target}`;
  const fix = problem.path === target ? `; run "${chownCommand(me, target)}"` : '';
  return `user ${me.name} may not use it: ${problem.detail}${fix}`;
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
    writeFileExclusive(path, pem, ownerForNewFile(dataDir));
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
