import type { Command } from 'commander';
import { BridgeError } from '../../../protocols/errors.ts';
import { CARD_FIELDS } from '../../server/methods/card.ts';

import { toCardRecord } from '../../services/card/card-record.ts';
import type { CardField } from '../../services/types.ts';
import { cliLogger, loadCliConfig, withConfigOption } from '../config-option.ts';
import { connectToDaemon, ticketFor } from '../daemon-connection.ts';
import { withDirectCardSide } from '../direct-card.ts';
import { parseTimeoutMs } from '../options.ts';
import { note, printJson, printLines } from '../output.ts';

interface ReadOpts {
  config?: string;
  json?: boolean;
  fields?: string[];
  timeout?: string;
  simulate?: boolean;
  ticket?: string;
}

export function registerRead(program: Command): void {
  withConfigOption(
    program
      .command('read')
      .description(
        'read the card on the reader once, as card.read does (through the running daemon, else directly)',
      )
      .option('--json', 'one JSON document on stdout: { card, receipt? }')
      .option('--fields <fields...>', `fields to read: ${CARD_FIELDS.join(' ')} (default: all)`)
      .option(
        '--timeout <ms>',
        'wait this long for a card to be tapped (0: the card must be on the reader already)',
        '0',
      )
      .option(
        '--ticket <jws>',
        'backend ticket for card.read (on a demo machine one is minted with the dev key)',
      )
      .option('--simulate', 'when no daemon runs, read from the built-in simulator instead of PC/SC'),
  ).action(async (opts: ReadOpts) => {
    const fields = parseFields(opts.fields);
    const timeoutMs = parseTimeoutMs(opts.timeout ?? '0', { allowZero: true });
    const config = loadCliConfig(opts);
    cliLogger(config);
    const client = await connectToDaemon(config);
    let result: Record<string, unknown>;
    if (client) {
      try {
        const ticket = await ticketFor(config, 'card.read', [...fields], opts.ticket, '--ticket');
        result = await client.call(
          'card.read',
          { fields: [...fields], ...(timeoutMs > 0 ? { timeoutMs } : {}), ...(ticket ? { ticket } : {}) },
          { onProgress: (p) => note(`${p.step} ${p.percent}%`) },
        );
      } finally {
        client.close();
      }
    } else {
      note('no daemon answering; reading directly');
      result = await withDirectCardSide(config, !!opts.simulate, async (side) => {
        const { result: r } = await side.cards.read({ fields, timeoutMs });
        return { card: toCardRecord(r, fields) };
      });
    }
    if (opts.json) printJson(result);
    else printLines(humanCard(result.card as Record<string, unknown>));
  });
}

function parseFields(list: string[] | undefined): readonly CardField[] {
  if (!list || list.length === 0) return CARD_FIELDS;
  const parts = list.flatMap((f) => f.split(',')).filter(Boolean);
  const bad = parts.filter((f) => !(CARD_FIELDS as readonly string[]).includes(f));
  if (bad.length)
    throw new BridgeError(
      'INVALID_PARAMS',
      `unknown field(s): ${bad.join(', ')} (use ${CARD_FIELDS.join(', ')})`,
    );
  return parts as CardField[];
}

function humanCard(card: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(card)) {
    if (k === 'photo') lines.push(`photo: JPEG, ${Buffer.from(String(v), 'base64').length} bytes`);
    else if (k === 'signatureImage') {
      const s = v as { mediaType: string; data: string };
      lines.push(`signatureImage: ${s.mediaType}, ${Buffer.from(s.data, 'base64').length} bytes`);
    } else if (k === 'fingers') {
      for (const f of v as Array<Record<string, unknown>>) {
        lines.push(`finger ${f.position}: ${f.minutiaeCount} minutiae, quality ${f.quality}`);
      }
    } else lines.push(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  return lines;
}
