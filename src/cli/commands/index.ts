import type { Command } from 'commander';
import { registerEval } from './eval.ts';
import { registerServe } from './serve.ts';

/**
 * Every subcommand lives in its own file and is registered here, in the order `--help` lists them.
 * A command writes its result to stdout (one JSON document with --json) and logs to stderr.
 */
export const COMMANDS: Array<(program: Command) => void> = [registerServe, registerEval];
