import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { BridgeError } from '../../../protocols/errors.ts';
import { formatEvalReport } from '../../biometrics/eval/format-report.ts';
import { type EvalMode, runEval } from '../../biometrics/eval/run-eval.ts';
import { MatchPool } from '../../biometrics/pool/index.ts';
import {
  configuredImpostorTails,
  type ImpostorTailsFile,
  impostorTailsText,
  maxAttemptsCap,
  planVerify,
  sequencesMeasured,
  sequencesNeeded,
} from '../../biometrics/verify-policy/index.ts';
import { loadConfigDetailed } from '../../config/index.ts';
import { withConfigOption } from '../config-option.ts';

interface EvalFlags {
  dataset: string;
  templates?: string;
  json?: boolean;
  threads?: string;
  dpi?: string;
  config?: string;
  tailsOut?: string;
}

/**
 * `ektp-bridge eval`: the FVC protocol on a folder of <finger>_<impression> images (cli.md). The
 * result goes to stdout (one JSON document with --json), progress to stderr. Extraction and
 * comparison run on the MatchPool, so the figures are those of the daemon's own code path.
 * `verifyPolicy` measures whole finger.verify calls with the configured policy (verify.*, finger.*),
 * and `verifyPolicy.claims` claims that try the other finger after a failed call. `--tails-out`
 * measures the folder's impostor tails for config `verify.impostorTails` (measure-tails.ts).
 */
export function registerEval(program: Command): void {
  const cmd = program
    .command('eval')
    .description('accuracy and speed of the matcher on an FVC-style folder')
    .requiredOption('--dataset <dir>', 'folder of <finger>_<impression> images (TIFF, PNG, BMP, PGM or JPEG)')
    .option(
      '--templates <kind>',
      'use the .iso templates (ISO/IEC 19794-2:2005 or :2011) beside the images for one side of each pair',
    )
    .option('--json', 'one JSON document on stdout')
    .option('--threads <n>', 'worker threads (default: all cores)')
    .option(
      '--tails-out <file>',
      "also measure the folder's impostor tails (every impression as the card) and write them to <file>, for config verify.impostorTails",
    )
    .option(
      '--dpi <n>',
      "image resolution when the files do not say (default: an FVC set's (2000-2006) when the folder is named DB1..DB4 and the image has that set's size, else 500)",
    );
  withConfigOption(cmd)
    .addHelpText(
      'after',
      '\nverifyPolicy in the report: whole finger.verify calls decided as the daemon decides them, with the\n' +
        "configuration's verify.targetFmr, verify.defaultMaxAttempts, verify.combine, finger.minQuality and\n" +
        'finger.minMinutiae (persons = fingers paired in id order, card = impression 1 of both;\n' +
        'each attempt scores the best of the image\'s live views, docs/matching.md "Verify policy");\n' +
        "verifyPolicy.claims: the same over claims, where a failed call is followed by the person's\n" +
        'other finger, as the claim screen offers. The EER figures are single comparisons.',
    )
    .action(async (flags: EvalFlags) => {
      if (flags.templates !== undefined && flags.templates !== 'iso') {
        throw new BridgeError('INVALID_PARAMS', `--templates must be "iso" (got "${flags.templates}")`);
      }
      const threads = flags.threads === undefined ? availableParallelism() : Number(flags.threads);
      const dpi = flags.dpi === undefined ? undefined : Number(flags.dpi);
      if (!Number.isInteger(threads) || threads < 1)
        throw new BridgeError('INVALID_PARAMS', '--threads must be >= 1');
      if (dpi !== undefined && !(dpi > 0)) throw new BridgeError('INVALID_PARAMS', '--dpi must be > 0');
      const mode: EvalMode = flags.templates === 'iso' ? 'iso' : 'images';
      // only the verify policy is read: no dataDir is touched
      const { config } = loadConfigDetailed({ path: flags.config, env: process.env });
      const policy = {
        tails: configuredImpostorTails(config.verify),
        targetFmr: config.verify.targetFmr,
        maxAttempts: config.verify.defaultMaxAttempts,
        combine: config.verify.combine,
        minQuality: config.finger.minQuality,
        minMinutiae: config.finger.minMinutiae,
      };
      const pool = new MatchPool({ threads });
      try {
        const report = await runEval(
          {
            extract: (img, view) => pool.extract(img, undefined, view),
            compare: (p, c) => pool.compare(p, c),
            compareMany: (p, g) => pool.compareMany(p, g),
            concurrency: threads,
          },
          {
            dataset: flags.dataset,
            mode,
            dpi,
            policy,
            measureTails: flags.tailsOut !== undefined,
            progress: (line) => process.stderr.write(`${line}\n`),
          },
        );
        const { impostorTails, ...rest } = report;
        if (flags.tailsOut && impostorTails) {
          writeFileSync(flags.tailsOut, impostorTailsText(impostorTails));
          process.stderr.write(`${tailsSummary(flags.tailsOut, impostorTails, policy.targetFmr)}\n`);
        }
        process.stdout.write(flags.json ? `${JSON.stringify(rest)}\n` : formatEvalReport(rest));
      } finally {
        await pool.close();
      }
    });
}

/** What the written tails allow at the configured target, with a two-finger card. */
function tailsSummary(file: string, tails: ImpostorTailsFile, targetFmr: number): string {
  const cap = maxAttemptsCap(targetFmr, 2, tails);
  const head = `impostor tails of ${sequencesMeasured(tails)} sequences written to ${file}`;
  if (cap < 1)
    return `${head}; too few for verify.targetFmr ${targetFmr} with a two-finger card (it needs at least ${sequencesNeeded(targetFmr, 2)})`;
  const plan = planVerify({ targetFmr, maxAttempts: cap, fingers: 2 }, tails);
  return `${head}; at verify.targetFmr ${targetFmr} with a two-finger card: up to ${cap} attempts, per-comparison threshold ${plan.stageThresholds[0].toFixed(4)} at ${cap}`;
}
