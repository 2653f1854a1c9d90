import type { Command } from 'commander';
import { BridgeError } from '../../../protocols/errors.ts';
import { loadDevBackend } from '../../security/dev-backend.ts';
import { TICKET_OPS } from '../../security/dev-ticket-route.ts';
import { loadCliConfig, withConfigOption } from '../config-option.ts';
import { printJson, printLines } from '../output.ts';

interface TicketOpts {
  config?: string;
  dataDir?: string;
  op: string;
  scope?: string;
  origin: string;
  aud?: string;
  ttl: string;
  json?: boolean;
}

/**
 * Development helper: a ticket signed with the development backend key that `serve --simulate`
 * trusts. It refuses to run where that key does not exist, so it cannot mint tickets a production
 * daemon accepts (production trusts only the real backends' keys).
 */
export function registerTicket(program: Command): void {
  withConfigOption(
    program
      .command('ticket')
      .description('print a development ticket for a daemon started with serve --simulate (demos only)')
      .requiredOption('--op <method>', `the operation: ${TICKET_OPS.join(', ')}`)
      .option(
        '--scope <fields>',
        'comma-separated fields, e.g. biodata,photo',
        'biodata,photo,signature,fingers',
      )
      .requiredOption(
        '--origin <url>',
        'the counter page origin the ticket is for, e.g. http://127.0.0.1:7215',
      )
      .option('--aud <deviceId>', 'the device id (default *, any device)')
      .option('--ttl <seconds>', 'validity, at most 300', '120')
      .option(
        '--data-dir <dir>',
        'data directory of the simulating daemon (default: as serve --simulate picks it)',
      )
      .option('--json', 'print { ticket, claims } instead of the bare ticket'),
  ).action(async (opts: TicketOpts) => {
    if (!(TICKET_OPS as readonly string[]).includes(opts.op)) {
      throw new BridgeError('INVALID_PARAMS', `--op must be one of ${TICKET_OPS.join(', ')}`);
    }
    const ttlSeconds = Number(opts.ttl);
    const scope = (opts.scope ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const dataDir = opts.dataDir ?? loadCliConfig(opts).dataDir;
    const backend = await loadDevBackend(dataDir);
    const ticket = await backend.mint({ op: opts.op, scope, origin: opts.origin, aud: opts.aud, ttlSeconds });
    if (opts.json) {
      const claims = JSON.parse(Buffer.from(ticket.split('.')[1], 'base64url').toString('utf8'));
      printJson({ ticket, claims });
    } else {
      printLines([ticket]);
    }
  });
}
