import type { KeyObject } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { RECEIPT_GENESIS } from '../receipts/receipt-claims.ts';
import { AUDIT_GENESIS, type AuditEntry, hashEntry, receiptView } from './audit-entry.ts';
import { chainFiles } from './audit-files.ts';
import { checkpointSignatureValid, macMatches } from './audit-key.ts';

export interface AuditVerifyOptions {
  /** the device's audit key: every entry's mac is checked (needs the private key: on the device) */
  macKey?: Buffer;
  /** the device's public key: checkpoint signatures are checked (enough for an exported copy) */
  publicKey?: KeyObject;
  /** device id (kid) the key belongs to; checkpoints of another kid are reported, not checked */
  deviceId?: string;
  /** receipt chain head (receipt-chain.json) the log must end at: removed last lines are found */
  receiptHead?: string;
}

export interface AuditVerifyResult {
  /** every complete line checks out, and the log reaches the receipt chain head when one is given */
  ok: boolean;
  /** entries that check out (all of them when ok), over all files */
  entries: number;
  /** the files read, oldest first (rotated ones, then the current one) */
  files: string[];
  /** file and 1-based line number (in that file) of the first line that does not check out */
  file?: string;
  brokenAt?: number;
  reason?: string;
  /** `repair` entries met (each marks a crash the log recovered from) */
  repairs: number;
  /** signed checkpoints met */
  checkpoints: number;
  /** bytes after the last newline of the current file: a write cut by a crash, cut off by the next start */
  tornTailBytes: number;
  /** hash of the last good entry */
  head: string;
  /** true when every entry carries a mac (a log started by a version with checkpoints) */
  keyed: boolean;
  macsChecked: boolean;
  signaturesChecked: boolean;
  /** entries without a mac: written before keyed entries existed; edits there cannot be told */
  unkeyedEntries: number;
  /** entries after the last signed checkpoint (only the macs vouch for them) */
  entriesAfterLastCheckpoint: number;
  /** checkpoints whose receipt head the log had not recorded: receipts signed, never given out */
  unrecordedReceiptGaps: number;
  /**
   * receipts the chain holds (the last start/stop checkpoint's receiptCount) minus the entries that
   * record one: signed but never recorded, by a crash between the two or a failed audit write; or
   * recorded lines removed and the daemon restarted since. 0 on an intact, quietly run trail.
   */
  unrecordedReceipts: number;
  /** the receipt chain head compared with (when given) and what the log ends at */
  receiptHead?: { expected: string; found: string };
  /** what the result cannot vouch for, in words; empty when everything was checked */
  warnings: string[];
}

/**
 * Reads every file of the chain line by line (rotated files, then the current one) and checks each
 * entry: valid JSON, `hash` equal to the hash of the rest, `prevHash` equal to the line before's hash
 * (across files too), `seq` one more. An edited line fails its own hash; a removed or reordered line
 * fails the link of the line after it. Beyond the chain, which anyone can recompute:
 * - with `macKey`, every entry's mac: an edit with all hashes recomputed fails here; a mac removed
 *   after keyed entries began fails too;
 * - with `publicKey`, every checkpoint's signature, which vouches for all lines before it;
 * - with `receiptHead`, the log must end at the receipt chain head: removed last lines are found.
 */
export async function verifyAuditLog(
  path: string,
  opts: AuditVerifyOptions = {},
): Promise<AuditVerifyResult> {
  const files = chainFiles(path).filter((f) => existsSync(f));
  const result: AuditVerifyResult = {
    ok: true,
    entries: 0,
    files,
    repairs: 0,
    checkpoints: 0,
    tornTailBytes: 0,
    head: AUDIT_GENESIS,
    keyed: false,
    macsChecked: opts.macKey !== undefined,
    signaturesChecked: opts.publicKey !== undefined,
    unkeyedEntries: 0,
    entriesAfterLastCheckpoint: 0,
    unrecordedReceiptGaps: 0,
    unrecordedReceipts: 0,
    warnings: [],
  };
  const state: ChainState = {
    prevHash: AUDIT_GENESIS,
    prevSeq: 0,
    keyedSeen: false,
    kid: undefined,
    view: undefined,
    otherKidEntries: 0,
    recorded: 0,
    chainRestarted: false,
  };
  for (const [i, file] of files.entries()) {
    const last = i === files.length - 1;
    const broken = await verifyFile(file, last, state, opts, result);
    if (broken) {
      Object.assign(result, { ok: false, file, brokenAt: broken.line, reason: broken.reason });
      return result;
    }
  }
  result.keyed = result.entries > 0 && result.unkeyedEntries === 0;
  if (opts.receiptHead !== undefined) {
    const found = state.view ?? RECEIPT_GENESIS;
    result.receiptHead = { expected: opts.receiptHead, found };
    if (found !== opts.receiptHead) {
      result.ok = false;
      result.reason =
        'the log does not end at the receipt chain head: its last entries were removed ' +
        '(or a receipt was being recorded while this ran: run it again)';
    }
  }
  addWarnings(result, state, opts);
  return result;
}

interface ChainState {
  prevHash: string;
  prevSeq: number;
  keyedSeen: boolean;
  /** device id of the last checkpoint: the key the entries after it were written with */
  kid: string | undefined;
  /** the receipt chain head as recorded so far */
  view: string | undefined;
  otherKidEntries: number;
  /** entries recording a receipt of the current device key's chain */
  recorded: number;
  /** a checkpoint counted fewer receipts than were recorded: the chain head file was reset */
  chainRestarted: boolean;
}

async function verifyFile(
  file: string,
  last: boolean,
  state: ChainState,
  opts: AuditVerifyOptions,
  result: AuditVerifyResult,
): Promise<{ line: number; reason: string } | undefined> {
  let lineNo = 0;
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      lineNo++;
      const checked = checkLine(line, state, opts, result);
      if (typeof checked === 'string') return { line: lineNo, reason: checked };
    }
  }
  const torn = Buffer.byteLength(rest, 'utf8');
  if (torn > 0 && !last) return { line: lineNo + 1, reason: 'a rotated file ends in a partial line' };
  result.tornTailBytes = torn;
  return undefined;
}

function checkLine(
  line: string,
  state: ChainState,
  opts: AuditVerifyOptions,
  result: AuditVerifyResult,
): AuditEntry | string {
  let entry: AuditEntry;
  try {
    entry = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not an entry';
  if (typeof entry.hash !== 'string') return 'no hash';
  if (hashEntry(entry) !== entry.hash) return 'hash does not match the entry (edited)';
  if (entry.prevHash !== state.prevHash)
    return 'prevHash does not match the line before (a line removed, reordered or inserted)';
  if (entry.seq !== state.prevSeq + 1) return `seq ${String(entry.seq)} after ${state.prevSeq}`;

  if (entry.type === 'checkpoint') {
    const kid = typeof entry.kid === 'string' ? entry.kid : undefined;
    if (typeof entry.sig !== 'string' || kid === undefined) return 'checkpoint without signature';
    const ours = opts.deviceId === undefined || kid === opts.deviceId;
    if (opts.publicKey && ours && !checkpointSignatureValid(opts.publicKey, entry)) {
      return 'checkpoint signature does not verify (the lines before it were rewritten)';
    }
    const head = typeof entry.receiptHead === 'string' ? entry.receiptHead : undefined;
    if (head !== undefined && state.view !== undefined && head !== state.view) {
      result.unrecordedReceiptGaps++;
    }
    if (state.kid !== undefined && kid !== state.kid) state.recorded = 0; // a new key: a new chain
    if (typeof entry.receiptCount === 'number') {
      const missing = entry.receiptCount - state.recorded;
      if (missing < 0) state.chainRestarted = true;
      result.unrecordedReceipts = Math.max(0, missing);
    }
    state.kid = kid;
    result.checkpoints++;
    result.entriesAfterLastCheckpoint = 0;
  } else {
    result.entriesAfterLastCheckpoint++;
  }

  if (typeof entry.mac === 'string') {
    state.keyedSeen = true;
    const ours = opts.deviceId === undefined || state.kid === undefined || state.kid === opts.deviceId;
    if (opts.macKey && ours && !macMatches(opts.macKey, entry)) {
      return 'mac does not match (the entry was edited and its hashes recomputed)';
    }
    if (!ours) state.otherKidEntries++;
  } else if (state.keyedSeen) {
    return 'an entry without mac after keyed entries (its mac was removed)';
  } else {
    result.unkeyedEntries++;
  }

  state.prevHash = entry.hash;
  state.prevSeq = entry.seq;
  state.view = receiptView(entry) ?? state.view;
  if (entry.type !== 'checkpoint' && typeof entry.receiptHash === 'string') state.recorded++;
  result.head = entry.hash;
  result.entries++;
  if (entry.type === 'repair') result.repairs++;
  return entry;
}

function addWarnings(result: AuditVerifyResult, state: ChainState, opts: AuditVerifyOptions): void {
  const w = result.warnings;
  if (result.unkeyedEntries > 0) {
    w.push(
      `${result.unkeyedEntries} entries carry no mac (written before keyed entries existed): ` +
        'an edit there with every later hash recomputed cannot be detected',
    );
  }
  if (state.keyedSeen && !opts.macKey) {
    w.push('macs not checked: no device key (run on the device as the service user or root)');
  }
  if (result.checkpoints > 0 && !opts.publicKey) w.push('checkpoint signatures not checked: no device key');
  if (state.otherKidEntries > 0) {
    w.push(`${state.otherKidEntries} entries were written under another device key: not checked`);
  }
  if (!opts.macKey && result.entriesAfterLastCheckpoint > 0 && result.checkpoints > 0) {
    w.push(
      `${result.entriesAfterLastCheckpoint} entries after the last checkpoint are covered by ` +
        'the hash chain only (their macs need the device key)',
    );
  }
  if (result.unrecordedReceiptGaps > 0) {
    w.push(
      `${result.unrecordedReceiptGaps} time(s) receipts were signed but not recorded (a crash or a ` +
        'failed audit write between the two): those results were not given out',
    );
  }
  if (result.unrecordedReceipts > 0) {
    w.push(
      `${result.unrecordedReceipts} receipt(s) in the chain have no entry: signed and never given out ` +
        '(a crash or a failed write between signing and recording), or recorded lines removed and the ' +
        'daemon restarted since; more than a few is a reason to look',
    );
  }
  if (state.chainRestarted) {
    w.push('a checkpoint counts fewer receipts than the log records: receipt-chain.json was reset');
  }
  if (opts.receiptHead === undefined) w.push('not compared with the receipt chain head');
}
