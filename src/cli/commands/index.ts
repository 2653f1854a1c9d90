import type { Command } from 'commander';
import { registerAudit } from './audit.ts';
import { registerBrowserPolicy } from './browser-policy.ts';
import { registerCapture } from './capture.ts';
import { registerDevices } from './devices.ts';
import { registerDoctor } from './doctor.ts';
import { registerEval } from './eval.ts';
import { registerGallery } from './gallery.ts';
import { registerKeys } from './keys.ts';
import { registerRead } from './read.ts';
import { registerReceipt } from './receipt.ts';
import { registerServe } from './serve.ts';
import { registerSimulate } from './simulate.ts';
import { registerTicket } from './ticket.ts';
import { registerVerify } from './verify.ts';

/**
 * Every subcommand lives in its own file and is registered here, in the order `--help` lists them.
 * A command writes its result to stdout (one JSON document with --json) and logs to stderr.
 */
export const COMMANDS: Array<(program: Command) => void> = [
  registerServe,
  registerDevices,
  registerRead,
  registerCapture,
  registerVerify,
  registerSimulate,
  registerDoctor,
  registerEval,
  registerKeys,
  registerReceipt,
  registerGallery,
  registerAudit,
  registerTicket,
  registerBrowserPolicy,
];
