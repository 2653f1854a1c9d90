import type { Command } from 'commander';
import { BridgeError } from '../../../protocols/errors.ts';
import { auditLogPath, verifyAuditLog } from '../../audit/index.ts';
import { loadCliConfig, withConfigOption } from '../config-option.ts';
import { printJson, printLines } from '../output.ts';

interface AuditVerifyOpts {
  config?: string;
  dataDir?: string;
  json?: boolean;
}

export function registerAudit(program: Command): void {
  const audit = program
    .command('audit')
    .description('the audit trail of card reads and fingerprint verifications');
  withConfigOption(
    audit
      .command('verify')
      .description('check that no line of dataDir/audit.log was edited, removed or reordered')
      .option('--data-dir <dir>', 'data directory holding audit.log (default: dataDir of the configuration)')
      .option('--json', 'one JSON document on stdout'),
  ).action(async (opts: AuditVerifyOpts) => {
    const dataDir = opts.dataDir ?? loadCliConfig(opts).dataDir;
    const path = auditLogPath(dataDir);
    const r = await verifyAuditLog(path);
    if (opts.json) {
      printJson({ path, ...r });
    } else {
      printLines([
        r.ok ? `${path}: ok, ${r.entries} entries` : `${path}: BROKEN at line ${r.brokenAt}: ${r.reason}`,
        ...(r.ok ? [`head ${r.head}`] : [`${r.entries} entries before it check out`]),
        ...(r.repairs
          ? [`${r.repairs} repair entr${r.repairs === 1 ? 'y' : 'ies'} (crashes recovered from)`]
          : []),
        ...(r.tornTailBytes
          ? [`torn last line of ${r.tornTailBytes} bytes (cut off at the next start)`]
          : []),
      ]);
    }
    // the log's integrity is the daemon's own state: there is no closer code than INTERNAL
    if (!r.ok) throw new BridgeError('INTERNAL', `audit log broken at line ${r.brokenAt}: ${r.reason}`);
  });
}
