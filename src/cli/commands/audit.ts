import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { JWK } from 'jose';
import { BridgeError } from '../../../protocols/errors.ts';
import { auditLogPath, chainFiles, verifyAuditTrail } from '../../audit/index.ts';
import { RECEIPT_CHAIN_FILE } from '../../receipts/index.ts';
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
  )
    .addHelpText(
      'after',
      '\nExit status 0 only for a trail that checks out. A broken trail exits 1 with INTERNAL (and the report).\n' +
        'A data directory that does not exist, cannot be read, or holds no audit log at all (no audit.log,\n' +
        'no audit.log.<n>, no receipt-chain.json) exits 1 with INVALID_PARAMS: nothing was verified (a log\n' +
        'deleted whole next to its receipt chain is reported broken). A daemon writes its audit log\n' +
        'from its first start; the installed service keeps it in /var/lib/ektp-bridge (run as root or as\n' +
        'the service user: runuser -u ektp-bridge -- ektp-bridge audit verify).',
    )
    .action(async (opts: AuditVerifyOpts) => {
      const dataDir = opts.dataDir ?? loadCliConfig(opts).dataDir;
      checkHasAuditLog(dataDir, opts.dataDir !== undefined);
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

/**
 * No audit log is not an intact one: a wrong --data-dir (or dataDir) would otherwise read as
 * "ok, 0 entries". INVALID_PARAMS, naming the folder and what to check.
 */
function checkHasAuditLog(dataDir: string, fromOption: boolean): void {
  const named = fromOption ? `--data-dir ${dataDir}` : `dataDir ${dataDir} (from the configuration)`;
  try {
    readdirSync(dataDir);
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code;
    const why =
      errno === 'ENOENT'
        ? 'no such directory'
        : errno === 'ENOTDIR'
          ? 'not a directory'
          : errno === 'EACCES' || errno === 'EPERM'
            ? 'permission denied (run as root or as the service user: ' +
              'runuser -u ektp-bridge -- ektp-bridge audit verify)'
            : `cannot be read (${errno})`;
    throw new BridgeError('INVALID_PARAMS', `${named}: ${why}; no audit log verified`, undefined, {
      cause: e,
    });
  }
  // with a receipt chain there, a daemon signed receipts here: its log was deleted whole, and the
  // verification says so (broken: the log does not reach the chain head)
  const noLog = !chainFiles(auditLogPath(dataDir)).some((f) => existsSync(f));
  if (noLog && !existsSync(join(dataDir, RECEIPT_CHAIN_FILE))) {
    throw new BridgeError(
      'INVALID_PARAMS',
      `${named}: no audit log there (no audit.log, no audit.log.<n>); nothing verified. ` +
        "A daemon writes one from its first start: is this its data directory? (the installed service's " +
        'is /var/lib/ektp-bridge)',
    );
  }
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
