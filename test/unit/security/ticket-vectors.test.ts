/**
 * The daemon's ticket checks against the ticket vectors of docs/receipts-and-tickets.md: a backend
 * whose tickets pass the vectors' checks is accepted by the daemon, and each defect is refused by it
 * for the documented reason, which it names in the error's `detail.reason`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BridgeError, isBridgeError } from '../../../protocols/errors.ts';
import { createTicketVerifier } from '../../../src/security/tickets.ts';
import { REPO_ROOT } from '../../shared-data.ts';

const VECTORS = join(REPO_ROOT, 'test/vectors');
const read = (p: string) => JSON.parse(readFileSync(join(VECTORS, p), 'utf8'));
const { keys } = read('keys.json');
const manifest = read('tickets/manifest.json');

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
      // on the wire: data.detail.reason is the document's code, data.detail.check its words
      expect((error as BridgeError).detail).toEqual({ reason: vec.reason, check: expect.any(String) });
    },
  );
});
