import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { BridgeError } from '../../../protocols/errors.ts';
import type { Resident } from '../../../simulator/residents/resident.ts';
import { VpcdCounter } from '../../../simulator/vpcd/counter.ts';
import { parseIntegerOption } from '../options.ts';
import { note } from '../output.ts';

const HELP = 'commands: tap N | tamper N | otherkey N | pull | list | quit';
const MAX_RESIDENTS = 1000;

interface SimulateOpts {
  host: string;
  port: string;
  residents: string;
  seed: string;
  resident: string;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description("run only the simulator: the e-KTP card and SAM behind pcscd's vpcd (slot 0 RF, slot 1 SAM)")
    .option('--host <addr>', "where pcscd's vpcd listens (127.0.0.2 with the quick-ACK route)", '127.0.0.1')
    .option('--port <n>', 'vpcd port of slot 0 (slot 1 is the next one), 1 to 65534', '35963')
    .option('--residents <n>', `how many synthetic residents, 1 to ${MAX_RESIDENTS}`, '5')
    .option('--seed <n>', 'seed of the first resident (0 up)', '1')
    .option('--resident <i>', 'resident whose card is on the reader at start ("none" for no card)', '0')
    .addHelpText(
      'after',
      `\nOn standard input: ${HELP}\n` +
        "  tap N       put resident N's card on the reader (N from 0, as `list` numbers them)\n" +
        '  tamper N    the same card with its biodata changed after signing (signature invalid)\n' +
        '  otherkey N  the same card keyed from another master key (card authentication fails)\n' +
        '  pull        take the card off the reader\n' +
        '  list        the residents by index (sex and province only, as at start: no NIK, no names),\n' +
        '              the one on the reader, and whether vpcd holds the card and the SAM\n' +
        '  quit        remove both and exit\n' +
        'The residents are synthetic (simulator/residents), not real people. Until pcscd with the vpcd\n' +
        'reader answers on --host/--port it says so, and keeps retrying every second\n' +
        '(docs/card-reading.md "Running the simulator behind a real pcscd").',
    )
    .action(async (opts: SimulateOpts) => {
      // every option checked before anything starts: INVALID_PARAMS naming it
      const basePort = parseIntegerOption(opts.port, '--port', 1, 65534);
      const residents = parseIntegerOption(opts.residents, '--residents', 1, MAX_RESIDENTS);
      const seed = parseIntegerOption(opts.seed, '--seed', 0, 2 ** 31 - 1);
      const first =
        opts.resident === 'none'
          ? undefined
          : parseIntegerOption(opts.resident, '--resident', 0, residents - 1);
      let hinted = false;
      const counter = new VpcdCounter({
        host: opts.host,
        basePort,
        residents,
        seed,
        log: note,
        onUnreachable: (slot, { host, port }, err) => {
          const code = (err as NodeJS.ErrnoException).code ?? err.message;
          note(
            `${slot === 0 ? 'card' : 'SAM'} (vpcd slot ${slot}): cannot reach vpcd at ${host}:${port} (${code}); ` +
              'retrying every second',
          );
          if (hinted) return;
          hinted = true;
          note(
            'is pcscd running with the vpcd reader? Start it (systemctl start pcscd, or pcscd --foreground) ' +
              'with /etc/reader.conf.d/vpcd as docs/card-reading.md "Running the simulator behind a real pcscd" ' +
              'shows, or point --host/--port at where vpcd listens',
          );
        },
      });
      const { host, port } = counter.address(0);
      note(
        `connecting to pcscd's vpcd at ${host}:${port} (card, slot 0) and ${host}:${port + 1} (SAM, slot 1)`,
      );
      counter.start();
      if (first !== undefined) counter.tap(first);
      note(residentLines(counter).join('\n'));
      note(HELP);
      const stop = async () => {
        await counter.stop();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      const index = (cmd: string, arg: string | undefined) =>
        parseIntegerOption(arg ?? '', cmd, 0, counter.residents.length - 1);
      const rl = createInterface({ input: process.stdin });
      rl.on('line', (line) => {
        const [cmd, arg] = line.trim().split(/\s+/);
        try {
          if (cmd === 'tap') counter.tap(index(cmd, arg));
          else if (cmd === 'tamper') counter.tap(index(cmd, arg), { tamperedBiodata: true });
          else if (cmd === 'otherkey') counter.tap(index(cmd, arg), { keyedFromOtherMasterKey: true });
          else if (cmd === 'pull') counter.pull();
          else if (cmd === 'list') note(listLines(counter).join('\n'));
          else if (cmd === 'quit') void stop();
          else if (cmd) note(HELP);
        } catch (e) {
          note(e instanceof BridgeError ? `${e.code}: ${e.message}` : String((e as Error).message));
        }
      });
      await new Promise(() => {});
    });
}

/** What the command prints of a synthetic resident: sex and province, never the NIK or the name. */
function residentLine(i: number, r: Resident): string {
  return `resident ${i}: ${r.female ? 'F' : 'M'} ${r.biodata.provinsi}`;
}

function residentLines(counter: VpcdCounter): string[] {
  return counter.residents.map((r, i) => residentLine(i, r));
}

/** `list`: the residents as at start, the card on the reader, and what vpcd holds. */
function listLines(counter: VpcdCounter): string[] {
  const s = counter.status();
  const faults = s.card
    ? [
        ...(s.card.faults.tamperedBiodata ? ['tampered'] : []),
        ...(s.card.faults.keyedFromOtherMasterKey ? ['other master key'] : []),
      ]
    : [];
  const onReader = (i: number) =>
    s.card?.index === i
      ? `  <- on the reader${faults.length ? ` (${faults.join(', ')})` : ''}${s.cardInserted ? '' : ', waiting for vpcd'}`
      : '';
  const card = counter.address(0);
  const sam = counter.address(1);
  return [
    ...counter.residents.map((r, i) => `${residentLine(i, r)}${onReader(i)}`),
    ...(s.card ? [] : ['no card on the reader']),
    `vpcd slot 0 (card) ${card.host}:${card.port}: ${s.cardInserted ? 'inserted' : 'not inserted'}`,
    `vpcd slot 1 (SAM) ${sam.host}:${sam.port}: ${s.samInserted ? 'inserted' : 'not inserted (waiting for vpcd)'}`,
  ];
}
