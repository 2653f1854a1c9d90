import { describe, expect, it } from 'vitest';
import { BridgeError, errorMessages } from '../../../protocols/errors.ts';
import { cliError } from '../../../src/cli/error-line.ts';
import { EktpBridgeError } from '../../../src/client/index.ts';

const daemonError = (reason: 'INVALID_PARAMS' | 'FINGER_NOT_MATCHED' | 'TICKET_INVALID', detail?: object) =>
  new EktpBridgeError(reason, -1, errorMessages(reason), detail as Record<string, unknown> | undefined);

describe('the CLI error line of a daemon error', () => {
  it('names the invalid field the daemon put in data.detail', () => {
    const err = cliError(
      daemonError('INVALID_PARAMS', { field: 'maxAttempts', problem: '"maxAttempts": must be >= 1' }),
    );
    expect(err.code).toBe('INVALID_PARAMS');
    expect(err.message).toBe('Invalid parameters ("maxAttempts": must be >= 1)');
    expect(err.detail).toMatchObject({ field: 'maxAttempts' });
  });

  it('names the documented refusal code of a ticket beside its check', () => {
    const err = cliError(
      daemonError('TICKET_INVALID', { reason: 'BAD_SIGNATURE', check: 'signature does not match' }),
    );
    expect(err.message).toBe(
      'The authorisation ticket is invalid (reason BAD_SIGNATURE; check signature does not match)',
    );
  });

  it('names the failed ticket check and the fields outside the scope', () => {
    const err = cliError(daemonError('TICKET_INVALID', { check: 'scope', fields: ['photo', 'signature'] }));
    expect(err.message).toBe('The authorisation ticket is invalid (check scope; fields photo, signature)');
  });

  it('shows only the listed figures: never the receipt nor keys it does not know', () => {
    const err = cliError(
      daemonError('FINGER_NOT_MATCHED', {
        matched: false,
        score: 0.01,
        threshold: 0.08,
        attempts: 3,
        reasons: ['NOT_MATCHED', 'POOR_QUALITY', 'NOT_MATCHED'],
        receipt: 'eyJhbGciOiJFUzI1NiJ9.secret.sig',
        nik: '3171234567890123',
      }),
    );
    expect(err.message).toBe(
      'Fingerprint does not match (reasons NOT_MATCHED, POOR_QUALITY, NOT_MATCHED; attempts 3)',
    );
    expect(err.message).not.toMatch(/eyJ|3171234567890123/);
  });

  it('keeps the bare message without detail, and leaves the CLI own errors as they are', () => {
    expect(cliError(daemonError('INVALID_PARAMS')).message).toBe('Invalid parameters');
    const own = new BridgeError('INVALID_PARAMS', '--timeout must be a whole number');
    expect(cliError(own)).toBe(own);
    expect(cliError(new Error('boom')).code).toBe('INTERNAL');
  });
});
