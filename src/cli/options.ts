import { BridgeError } from '../../protocols/errors.ts';
import { timeoutSchema } from '../server/methods/common-schemas.ts';

/**
 * Numeric flags are checked here, before a command does anything (reads a card, captures, uses up a
 * ticket), within the bounds the API puts on the parameter they become. A bad value is
 * INVALID_PARAMS naming the flag.
 */
export function parseIntegerOption(value: string, flag: string, min: number, max: number, unit = ''): number {
  const n = /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(Number.isSafeInteger(n) && n >= min && n <= max))
    throw new BridgeError(
      'INVALID_PARAMS',
      `${flag} must be a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max} (got "${value}")`,
    );
  return n;
}

/**
 * A `--timeout <ms>` flag: whole milliseconds within the API's timeoutMs (1 ms .. 10 minutes). With
 * `allowZero` (read: 0 means do not wait for a card) 0 is accepted too.
 */
export function parseTimeoutMs(value: string, opts: { allowZero?: boolean } = {}): number {
  const min = opts.allowZero ? 0 : timeoutSchema.minimum;
  return parseIntegerOption(value, '--timeout', min, timeoutSchema.maximum, 'milliseconds');
}
