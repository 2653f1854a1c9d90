import type { Command } from 'commander';
import { BridgeError } from '../../../protocols/errors.ts';
import { type EktpBridgeClient, EktpBridgeError } from '../../client/index.ts';
import { startDaemon } from '../../daemon/daemon.ts';
import { silentLogger } from '../../log/index.ts';
import { loadCliConfig, withConfigOption } from '../config-option.ts';
import { connectToDaemon, ticketFor } from '../daemon-connection.ts';
import { parseIntegerOption, parseTimeoutMs } from '../options.ts';
import { note, printJson, printLines } from '../output.ts';

interface VerifyOpts {
  config?: string;
  json?: boolean;
  maxAttempts?: string;
  timeout?: string;
  readTicket?: string;
  verifyTicket?: string;
  simulate?: boolean;
}

export function registerVerify(program: Command): void {
  withConfigOption(
    program
      .command('verify')
      .description(
        'read the card and verify a live finger against it, as finger.verify does (through the daemon)',
      )
      .option(
        '--json',
        'one JSON document on stdout: { card, readReceipt, verify: { matched, finger, score, threshold, attempts, receipt } }, also when the finger does not match (then with verify.reasons, and exit status 1)',
      )
      .option(
        '--max-attempts <n>',
        "captures before giving up, 1..10 (default: the daemon's verify.defaultMaxAttempts)",
      )
      .option('--timeout <ms>', 'wait this long for a finger at each attempt', '15000')
      .option(
        '--read-ticket <jws>',
        'backend ticket for card.read (a demo machine mints one with its dev key)',
      )
      .option('--verify-ticket <jws>', 'backend ticket for finger.verify')
      .option(
        '--simulate',
        'no daemon running: start the simulated counter in this process (genuine finger)',
      ),
  ).action(async (opts: VerifyOpts) => {
    // the flags are checked before the card is read: a bad one must not use up the read ticket
    // nor leave a card.read receipt and audit entry behind
    const flags = parseFlags(opts);
    const config = loadCliConfig(opts);
    let client = await connectToDaemon(config);
    let stop: (() => Promise<void>) | undefined;
    if (!client && opts.simulate) {
      const daemon = await startDaemon({
        config: {
          ...config,
          port: 0,
          hosts: ['127.0.0.1'],
          simulate: { ...config.simulate, finger: 'genuine' },
        },
        logger: silentLogger(),
        simulate: true,
      });
      config.port = daemon.port;
      stop = () => daemon.close();
      client = await connectToDaemon(config);
    }
    if (!client)
      throw new BridgeError(
        'NO_READER',
        'no daemon answering: start `ektp-bridge serve` (or use --simulate)',
      );
    try {
      const { notMatched, ...out } = await run(client, config, opts, flags);
      // a non-match is a decision too: printed like a match (with its receipt in --json), then the
      // FINGER_NOT_MATCHED error makes the exit status non-zero with its line on stderr
      if (opts.json) printJson(out);
      else {
        const v = out.verify;
        printLines([
          `card ${String((out.card as Record<string, unknown>).chipSerial)}: ${String((out.card as Record<string, unknown>).nama ?? '')}`,
          `matched: ${v.matched}  finger ${v.finger ?? '-'}  score ${v.score} (threshold ${v.threshold})  attempts ${v.attempts}`,
        ]);
      }
      if (notMatched) throw notMatched;
    } finally {
      client.close();
      await stop?.();
    }
  });
}

interface VerifyFlags {
  maxAttempts?: number;
  timeoutMs: number;
}

/** --max-attempts and --timeout within the bounds finger.verify takes (docs/api/README.md) */
function parseFlags(opts: VerifyOpts): VerifyFlags {
  return {
    ...(opts.maxAttempts === undefined
      ? {}
      : { maxAttempts: parseIntegerOption(opts.maxAttempts, '--max-attempts', 1, 10) }),
    timeoutMs: parseTimeoutMs(opts.timeout ?? '15000'),
  };
}

async function run(
  client: EktpBridgeClient,
  config: ReturnType<typeof loadCliConfig>,
  opts: VerifyOpts,
  flags: VerifyFlags,
): Promise<{
  card: unknown;
  readReceipt: unknown;
  verify: Record<string, unknown>;
  notMatched?: EktpBridgeError;
}> {
  const fields = ['biodata', 'fingers'] as const;
  const readTicket = await ticketFor(config, 'card.read', [...fields], opts.readTicket, '--read-ticket');
  const read = await client.call('card.read', {
    fields: [...fields],
    ...(readTicket ? { ticket: readTicket } : {}),
  });
  note('place the finger on the sensor');
  const verifyTicket = await ticketFor(config, 'finger.verify', [], opts.verifyTicket, '--verify-ticket');
  try {
    const verify = await client.call(
      'finger.verify',
      {
        ...flags,
        ...(verifyTicket ? { ticket: verifyTicket } : {}),
      },
      {
        // a failed attempt carries its reason (POOR_QUALITY, TOO_FEW_MINUTIAE, NOT_MATCHED)
        onProgress: (p) => {
          note(`${p.step}${p.reason ? ` ${p.reason}` : ''} ${p.percent}%`);
        },
      },
    );
    return { card: read.card, readReceipt: read.receipt, verify };
  } catch (e) {
    // no match: the daemon's decision (matched false, score, threshold, attempts, its signed
    // receipt, the reasons) is in the error's data.detail
    if (e instanceof EktpBridgeError && e.reason === 'FINGER_NOT_MATCHED' && e.detail?.matched === false)
      return { card: read.card, readReceipt: read.receipt, verify: e.detail, notMatched: e };
    throw e;
  }
}
