import { BridgeError, ERRORS, type ErrorCode, toBridgeError } from '../../protocols/errors.ts';
import { EktpBridgeError } from '../client/index.ts';

/**
 * The keys of a daemon error's `data.detail` that the CLI's error line shows. The daemon puts only
 * non-personal detail there, but a decision's detail also carries its receipt: the line shows only
 * these short, named figures (which field, which check, why, when to retry), never the receipt or
 * anything not listed here.
 */
const SHOWN_DETAIL = [
  'problem',
  'field',
  'reason',
  'check',
  'fields',
  'reasons',
  'attempts',
  'retryAfterSeconds',
  'lockoutFailures',
  'lockoutSeconds',
  'step',
  'sw',
  'triesLeft',
  'sensorId',
  'known',
  'available',
  'galleries',
  'queued',
] as const;

const MAX_VALUE_CHARS = 200;

/**
 * What the CLI reports for an error: a daemon's answer keeps its code, and its message (the
 * vocabulary's fixed text) is followed by the detail that makes it specific, e.g.
 * `INVALID_PARAMS: Invalid parameters ("maxAttempts": must be >= 1)`. Anything else that is not a
 * BridgeError is INTERNAL.
 */
export function cliError(e: unknown): BridgeError {
  if (e instanceof EktpBridgeError && e.reason in ERRORS) {
    const summary = detailSummary(e.detail);
    return new BridgeError(
      e.reason as ErrorCode,
      summary ? `${e.message} (${summary})` : e.message,
      e.detail,
    );
  }
  return toBridgeError(e);
}

/** `problem` (which already names the field) or `field`, then the other shown keys, `; `-separated. */
export function detailSummary(detail: Record<string, unknown> | undefined): string {
  if (!detail) return '';
  const parts: string[] = [];
  for (const key of SHOWN_DETAIL) {
    if (key === 'field' && typeof detail.problem === 'string') continue;
    const text = shownValue(detail[key]);
    if (text === undefined) continue;
    parts.push(key === 'problem' ? text : `${key} ${text}`);
  }
  return parts.join('; ');
}

function shownValue(v: unknown): string | undefined {
  const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
  let text: string | undefined;
  if (scalar(v)) text = String(v);
  else if (Array.isArray(v) && v.length > 0 && v.every(scalar)) text = v.join(', ');
  if (text === undefined || text.length === 0) return undefined;
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}...` : text;
}
