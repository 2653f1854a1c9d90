/**
 * The daemon's ticket checks against the ticket vectors of docs/receipts-and-tickets.md: a backend
 * whose tickets pass the vectors' checks is accepted by the daemon, and each defect is refused by it
 * for the documented reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBridgeError } from '../../../protocols/errors.ts';
import { createTicketVerifier } from '../../../src/security/tickets.ts';
import { REPO_ROOT } from '../../shared-data.ts';

const VECTORS = join(REPO_ROOT, 'test/vectors');
const read = (p: string) => JSON.parse(readFileSync(join(VECTORS, p), 'utf8'));
const { keys } = read('keys.json');
const manifest = read('tickets/manifest.json');

/** the daemon names the failed check in its message; this is how each reason reads there */
const DAEMON_CHECK: Record<string, RegExp> = {
  MALFORMED: /not a compact JWS|is not JSON|is not an object|malformed/,
  ALG_NOT_ES256: /alg .* not allowed/,
  BAD_SIGNATURE: /signature does not match/,
  MISSING_CLAIM: /missing or not|not an array/,
  WRONG_AUDIENCE: /aud is not this device/,
  WRONG_ORIGIN: /origin does not match/,
  WRONG_OP: /op is not/,
  LIFETIME_TOO_LONG: /exp is not after iat|valid for more than/,
  EXPIRED: /expired/,
  NOT_YET_VALID: /issued in the future/,
  NONCE_REPLAYED: /nonce already used/,
};

describe('the daemon against the ticket vectors', () => {
  it.each(manifest.vectors as { file: string; expect: string; reason?: string }[])(
    '$file: $expect $reason',
    async (vec) => {
      const { tickets } = read(`tickets/${vec.file}`);
      const { deviceId, origin, op, now } = manifest.context;
      const authorize = createTicketVerifier({
        keys: [keys.backend.publicJwk],
        deviceId,
        requireTickets: true,
        now: () => now * 1000,
      });
      const present = (ticket: string) => authorize(op, { ticket }, { origin, requestId: 1 });
      // earlier tickets of a vector were used: their operations started, which spends the nonce
      for (const t of tickets.slice(0, -1)) (await present(t))?.spend();
      const last = present(tickets.at(-1));
      if (vec.expect === 'valid') {
        await expect(last).resolves.toMatchObject({ claims: { op, origin } });
        return;
      }
      const error = await last.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isBridgeError(error, 'TICKET_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(DAEMON_CHECK[vec.reason!]);
    },
  );
});
