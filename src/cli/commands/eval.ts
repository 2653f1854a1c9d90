import type { Command } from 'commander';
import { BridgeError } from '../../../protocols/errors.ts';

// Placeholder registration so the CLI tree is complete; the matcher work replaces the action.
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('accuracy and speed of the matcher on an FVC-style folder')
    .requiredOption('--dataset <dir>', 'folder of <finger>_<impression> images')
    .option('--templates <kind>', 'use the .iso templates beside the images for one side of each pair')
    .option('--json', 'one JSON document on stdout')
    .action(() => {
      throw new BridgeError('INTERNAL', 'eval is not available yet');
    });
}
