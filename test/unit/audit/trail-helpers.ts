import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AuditLog,
  auditKeyFromDeviceKey,
  auditLogPath,
  hashEntry,
  type OpenAuditLogOptions,
  openAuditLog,
  signAndRecord,
} from '../../../src/audit/index.ts';
import { loadOrCreateDeviceKey } from '../../../src/keys/device-key.ts';
import {
  createReceiptSigner,
  RECEIPT_CHAIN_FILE,
  type ReceiptInput,
  type ReceiptSigner,
} from '../../../src/receipts/index.ts';

export const INPUT: ReceiptInput = {
  op: 'finger.verify',
  origin: 'https://eklaim.example.go.id',
  nonce: 'n',
  nik: '3171012501900001',
  chipSerial: '04A1B2',
  documentSignature: 'valid',
  matched: true,
  finger: 7,
  score: 50,
  threshold: 40,
  sensor: 'sim-0',
};

export interface Trail {
  dataDir: string;
  path: string;
  signer: ReceiptSigner;
  audit: AuditLog;
  record(i: number): Promise<string>;
  reopen(extra?: OpenAuditLogOptions): Promise<void>;
}

/**
 * A data directory with the daemon's own pieces: device key, receipt signer, keyed audit log (at
 * `auditPath` when given, e.g. on another file system).
 */
export async function openTrail(
  dataDir: string,
  extra: OpenAuditLogOptions = {},
  auditPath = auditLogPath(dataDir),
): Promise<Trail> {
  const deviceKey = await loadOrCreateDeviceKey(dataDir);
  const signer = createReceiptSigner({ deviceKey, chainFile: join(dataDir, RECEIPT_CHAIN_FILE) });
  const path = auditPath;
  const open = (more: OpenAuditLogOptions) =>
    openAuditLog(path, {
      key: auditKeyFromDeviceKey(deviceKey),
      receiptHead: () => signer.head(),
      receiptCount: () => signer.count(),
      ...extra,
      ...more,
    });
  const trail: Trail = {
    dataDir,
    path,
    signer,
    audit: await open({}),
    record: (i) => signAndRecord(signer, trail.audit, { ...INPUT, nonce: `n${i}` }),
    async reopen(more = {}) {
      await trail.audit.close();
      trail.audit = await open(more);
    },
  };
  return trail;
}

export function readEntries(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/**
 * What someone without the device key does to hide an edit: change a field of one entry, then
 * recompute its hash and the prevHash/hash of every entry after it (across files), keeping the
 * rest (macs, signatures) as they were, since those cannot be recomputed without the key.
 */
export function editAndRehash(
  files: string[],
  match: (e: Record<string, unknown>) => boolean,
  edit: (e: Record<string, unknown>) => void,
  strip: (e: Record<string, unknown>) => void = () => {},
): void {
  let prev: string | undefined;
  let editing = false;
  for (const file of files) {
    const out = readEntries(file).map((e) => {
      if (!editing && match(e)) {
        edit(e);
        editing = true;
      }
      if (editing) {
        strip(e);
        if (prev !== undefined) e.prevHash = prev;
        e.hash = hashEntry(e as never);
      }
      prev = e.hash as string;
      return e;
    });
    writeFileSync(file, out.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }
}
