import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { BridgeError } from '../../protocols/errors.ts';
import { type Account, accessProblem, chownCommand, currentAccount, ownerText } from './accounts.ts';

/** PCID (16 bytes) and CONF (32 bytes) for OPEN SAM (ektp-card-profile.md). Never log these. */
export interface SamSecrets {
  pcid: Uint8Array;
  conf: Uint8Array;
}

const PCID_BYTES = 16;
const CONF_BYTES = 32;

/**
 * Loads sam.secretsFile. Refuses a file whose mode lets group or other read or write it: the
 * secrets unlock every card's data, and a 0644 file on a shared counter PC leaks them to any user.
 * `service`: the user the daemon runs as (serviceAccount), named in the fix for a file this
 * process may not read; this process's own user by default.
 */
export function loadSamSecrets(path: string, service?: Account): SamSecrets {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (e) {
    throw unreadable(path, e, service);
  }
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new BridgeError(
      'INVALID_PARAMS',
      `sam.secretsFile ${path} has mode ${octal}, which lets group or other users access it; ` +
        `run "chmod 600 ${path}" (owned by the service user) and restart`,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw unreadable(path, e, service);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // No e.message here: a parse error quotes the text around the fault, which is a secret.
    throw new BridgeError('INVALID_PARAMS', `sam.secretsFile ${path}: not valid JSON`);
  }
  const o = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  return {
    pcid: hexField(o.pcidHex, 'pcidHex', PCID_BYTES, path),
    conf: hexField(o.confHex, 'confHex', CONF_BYTES, path),
  };
}

/**
 * A secrets file this process may not read says so, and why: most often a root-owned file (a
 * missed chown), which the service user cannot read however right its mode is.
 */
function unreadable(path: string, e: unknown, service: Account | undefined): BridgeError {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  const head = `sam.secretsFile ${path}`;
  if (code !== 'EACCES' && code !== 'EPERM') {
    return new BridgeError('INVALID_PARAMS', `${head}: cannot be read (${code})`, undefined, { cause: e });
  }
  const me = currentAccount();
  const svc = service ?? me;
  const problem = accessProblem(path, me, 'read');
  let why: string;
  let fix: string;
  if (problem && problem.path !== resolve(path)) {
    why = `the folder ${problem.detail}`;
    fix = `let user ${svc.name} reach ${problem.path}`;
  } else {
    let owner: string | undefined;
    let ownerUid: number | undefined;
    try {
      const st = statSync(path);
      owner = ownerText(st);
      ownerUid = st.uid;
    } catch {
      /* stat refused as well: the folder above is the problem */
    }
    why = owner ? `it is owned by ${owner}` : 'the folder above it cannot be searched';
    fix =
      ownerUid === svc.uid && svc.uid !== me.uid
        ? `it is the service user's file: check it as that user (runuser -u ${svc.name} -- ektp-bridge doctor)`
        : `run "${chownCommand(svc, path)}"`;
  }
  return new BridgeError(
    'INVALID_PARAMS',
    `${head} cannot be read by user ${me.name} (${code}): ${why}; ${fix}`,
    undefined,
    {
      cause: e,
    },
  );
}

function hexField(value: unknown, name: string, bytes: number, path: string): Uint8Array {
  const text = typeof value === 'string' ? value.replace(/[\s:]/g, '') : '';
  if (!new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(text)) {
    throw new BridgeError(
      'INVALID_PARAMS',
      `sam.secretsFile ${path}: "${name}" must be ${bytes} bytes of hex`,
    );
  }
  return Uint8Array.from(Buffer.from(text, 'hex'));
}
