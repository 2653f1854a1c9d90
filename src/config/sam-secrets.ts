import { readFileSync, statSync } from 'node:fs';
import { BridgeError } from '../../protocols/errors.ts';

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
 */
export function loadSamSecrets(path: string): SamSecrets {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new BridgeError('INVALID_PARAMS', `sam.secretsFile ${path}: cannot be read (${code})`, undefined, {
      cause: e,
    });
  }
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new BridgeError(
      'INVALID_PARAMS',
      `sam.secretsFile ${path} has mode ${octal}, which lets group or other users access it; ` +
        `run "chmod 600 ${path}" (owned by the service user) and restart`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
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
