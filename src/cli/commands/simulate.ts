import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { VpcdCounter } from '../../../simulator/vpcd/counter.ts';
import { note } from '../output.ts';

const HELP = 'commands: tap N | tamper N | otherkey N | pull | list | quit';

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description("run only the simulator: the e-KTP card and SAM behind pcscd's vpcd (slot 0 RF, slot 1 SAM)")
    .option('--host <addr>', "where pcscd's vpcd listens (127.0.0.2 with the quick-ACK route)", '127.0.0.1')
    .option('--port <n>', 'vpcd port of slot 0 (slot 1 is the next one)', '35963')
    .option('--residents <n>', 'how many synthetic residents', '5')
    .option('--seed <n>', 'seed of the first resident', '1')
    .option('--resident <i>', 'resident whose card is on the reader at start ("none" for no card)', '0')
    .addHelpText('after', `\nOn standard input: ${HELP}`)
    .action(
      async (opts: { host: string; port: string; residents: string; seed: string; resident: string }) => {
        const counter = new VpcdCounter({
          host: opts.host,
          basePort: Number(opts.port),
          residents: Number(opts.residents),
          seed: Number(opts.seed),
          log: note,
        });
        counter.start();
        if (opts.resident !== 'none') counter.tap(Number(opts.resident));
        for (const [i, r] of counter.residents.entries()) {
          note(`resident ${i}: ${r.female ? 'F' : 'M'} ${r.biodata.provinsi}`);
        }
        note(HELP);
        const stop = async () => {
          await counter.stop();
          process.exit(0);
        };
        process.on('SIGINT', () => void stop());
        process.on('SIGTERM', () => void stop());
        const rl = createInterface({ input: process.stdin });
        rl.on('line', (line) => {
          const [cmd, arg] = line.trim().split(/\s+/);
          try {
            if (cmd === 'tap') counter.tap(Number(arg));
            else if (cmd === 'tamper') counter.tap(Number(arg), { tamperedBiodata: true });
            else if (cmd === 'otherkey') counter.tap(Number(arg), { keyedFromOtherMasterKey: true });
            else if (cmd === 'pull') counter.pull();
            else if (cmd === 'quit') void stop();
            else if (cmd) note(HELP);
          } catch (e) {
            note(String((e as Error).message));
          }
        });
        await new Promise(() => {});
      },
    );
}
