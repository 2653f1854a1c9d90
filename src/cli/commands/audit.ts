import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { JWK } from 'jose';
import { BridgeError } from '../../../protocols/errors.ts';
import { verifyAuditTrail } from '../../audit/index.ts';
import { loadCliConfig, withConfigOption } from '../config-option.ts';
import { printJson, printLines } from '../output.ts';

interface AuditVerifyOpts {
  config?: string;
  dataDir?: string;
  publicKey?: string;
  json?: boolean;
}

export function registerAudit(program: Command): void {
  const audit = program
    .command('audit')
    .description('the audit trail of card reads and fingerprint verifications');
  withConfigOption(
    audit
      .command('verify')
      .description(
        'check that no line of the audit trail (dataDir/audit.log and its rotated files audit.log.<n>) ' +
          'was edited, removed or reordered: hash chain, entry macs and signed checkpoints (device key), ' +
          'and that it reaches the receipt chain head (receipt-chain.json)',
      )
      .option('--data-dir <dir>', 'data directory holding audit.log (default: dataDir of the configuration)')
      .option(
        '--public-key <file>',
        'the device public key as JWK (`ektp-bridge keys show` .publicKey) to check a copy of the log ' +
          'without the private key: signatures are checked, entry macs are not',
      )
      .option('--json', 'one JSON document on stdout'),
  ).action(async (opts: AuditVerifyOpts) => {
    const dataDir = opts.dataDir ?? loadCliConfig(opts).dataDir;
    const publicJwk = opts.publicKey ? readJwk(opts.publicKey) : undefined;
    const r = await verifyAuditTrail(dataDir, { publicJwk });
    if (opts.json) {
      printJson(r);
    } else {
      const where = r.file ? `${r.file}${r.brokenAt ? ` line ${r.brokenAt}` : ''}` : r.path;
      printLines([
        r.ok
          ? `${r.path}: ok, ${r.entries} entries in ${r.files.length} file(s), ${r.checkpoints} signed checkpoint(s)`
          : `BROKEN at ${where}: ${r.reason}`,
        ...(r.ok ? [`head ${r.head}`] : [`${r.entries} entries before it check out`]),
        ...(r.receiptHead
          ? [`receipt chain head ${r.receiptHead.expected} (log: ${r.receiptHead.found})`]
          : []),
        ...(r.repairs
          ? [`${r.repairs} repair entr${r.repairs === 1 ? 'y' : 'ies'} (crashes recovered from)`]
          : []),
        ...(r.tornTailBytes
          ? [`torn last line of ${r.tornTailBytes} bytes (cut off at the next start)`]
          : []),
        ...r.warnings.map((w) => `warning: ${w}`),
      ]);
    }
    // the log's integrity is the daemon's own state: there is no closer code than INTERNAL
    if (!r.ok) {
      const at = r.brokenAt ? ` at line ${r.brokenAt}` : '';
      throw new BridgeError('INTERNAL', `audit log broken${at}: ${r.reason}`);
    }
  });
}

function readJwk(file: string): JWK {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8'));
    // accept the whole `keys show` document as well as the bare key
    return (v?.publicKey ?? v) as JWK;
  } catch (e) {
    throw new BridgeError('INVALID_PARAMS', `--public-key ${file}: not a JSON web key`, undefined, {
      cause: e,
    });
  }
}
