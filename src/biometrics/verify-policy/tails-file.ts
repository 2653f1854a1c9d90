/**
 * An impostor-tails file measured on other prints than the shipped one (config `verify.impostorTails`,
 * written by `ektp-bridge eval --tails-out`): read and checked before the policy trusts it, because
 * every threshold of finger.verify comes from it. A file that does not have the shape of
 * impostor-tails.json is refused with what is wrong; nothing of it is used.
 */
import { readFileSync } from 'node:fs';
import { BridgeError } from '../../../protocols/errors.ts';
import { type ImpostorTails, type ImpostorTailsFile, loadImpostorTails } from './impostor-tails.ts';
import { maxAttemptsCap, sequencesMeasured, sequencesNeeded } from './plan.ts';

/** The most attempts the API allows, and so the most k a file may carry. */
const MAX_K = 10;

/**
 * The impostor tails the verify policy runs on: the file config `verify.impostorTails` names
 * (checked), else the shipped ones; either must vouch for `verify.targetFmr` with a two-finger card
 * (at least one attempt). Anything else is INVALID_PARAMS naming the key to change, as any other
 * invalid configuration, before the daemon or eval starts.
 */
export function configuredImpostorTails(verify: {
  impostorTails?: string;
  targetFmr: number;
}): ImpostorTailsFile {
  const path = verify.impostorTails;
  const invalid = (key: string, why: string) =>
    new BridgeError('INVALID_PARAMS', `config key "${key}": ${why}`, { key });
  let tails: ImpostorTailsFile;
  try {
    tails = path === undefined ? loadImpostorTails() : readImpostorTailsFile(path);
  } catch (e) {
    throw invalid('verify.impostorTails', (e as Error).message);
  }
  if (maxAttemptsCap(verify.targetFmr, 2, tails) < 1) {
    const why =
      `${sequencesMeasured(tails)} impostor sequences are too few for verify.targetFmr ` +
      `${verify.targetFmr} with a two-finger card (at least ${sequencesNeeded(verify.targetFmr, 2)})`;
    throw path === undefined
      ? invalid(
          'verify.targetFmr',
          `the shipped impostor tails' ${why}: raise it, or measure more (verify.impostorTails)`,
        )
      : invalid('verify.impostorTails', `${path}: ${why}: measure more fingers`);
  }
  return tails;
}

/** The file at `path`, checked; RangeError with the reason otherwise. */
export function readImpostorTailsFile(path: string): ImpostorTailsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RangeError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RangeError(`${path}: not JSON`);
  }
  try {
    return parseImpostorTails(value);
  } catch (e) {
    throw new RangeError(`${path}: ${(e as Error).message}`);
  }
}

/** Checks the shape of an impostor-tails document (impostor-tails.ts) and returns it typed. */
export function parseImpostorTails(value: unknown): ImpostorTailsFile {
  if (!isObject(value)) throw new RangeError('not an object');
  const { about, measured, modes } = value;
  if (typeof about !== 'string') throw new RangeError('"about" is not a string');
  if (typeof measured !== 'string' || measured === '')
    throw new RangeError('"measured" is not a date string');
  if (!isObject(modes) || Object.keys(modes).length === 0) throw new RangeError('"modes" lists no mode');
  for (const [name, mode] of Object.entries(modes)) checkMode(name, mode);
  return { about, measured, modes: modes as Record<string, ImpostorTails> };
}

function checkMode(name: string, mode: unknown): void {
  const at = `mode "${name}"`;
  if (!isObject(mode)) throw new RangeError(`${at} is not an object`);
  const { sequences, sums } = mode;
  if (!Number.isSafeInteger(sequences) || (sequences as number) < 1)
    throw new RangeError(`${at}: "sequences" is not a positive integer`);
  if (!Array.isArray(sums) || sums.length === 0 || sums.length > MAX_K)
    throw new RangeError(`${at}: "sums" must hold the sums of 1 to ${MAX_K} attempts`);
  sums.forEach((list: unknown, i) => {
    const k = `${at}, sums of ${i + 1} attempt(s)`;
    if (!Array.isArray(list) || list.length === 0) throw new RangeError(`${k}: empty`);
    if (list.length > (sequences as number)) throw new RangeError(`${k}: more values than sequences`);
    for (let j = 0; j < list.length; j++) {
      const v = list[j];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw new RangeError(`${k}: not a score sum`);
      if (j > 0 && v > list[j - 1]) throw new RangeError(`${k}: not in descending order`);
    }
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
