import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { COMMANDS } from './commands/index.ts';
import { cliError } from './error-line.ts';

const program = new Command('ektp-bridge')
  .description('e-KTP reader and fingerprint verification daemon for counters and kiosks')
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride();

for (const register of COMMANDS) register(program);

try {
  await program.parseAsync(process.argv);
  // One-shot commands end here; native handles (pcsclite's context thread, usb) would keep the
  // process alive after they closed. `serve` and `simulate` never return.
  process.exit(process.exitCode ?? 0);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version exit through here with code 0
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  // an error the daemon answered keeps its code, and says which field or check its detail names
  const err = cliError(e);
  // cli.md: non-zero exit comes with an error code from the API vocabulary on stderr
  process.stderr.write(`${err.code}: ${err.message}\n`);
  if (err.code === 'INTERNAL' && err.cause)
    process.stderr.write(`${String((err.cause as Error)?.stack ?? err.cause)}\n`);
  process.exit(1);
}
