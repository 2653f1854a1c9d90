import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCliConfig } from '../../../src/cli/config-option.ts';
import { ticketFor } from '../../../src/cli/daemon-connection.ts';
import { ensureDevBackend } from '../../../src/security/dev-backend.ts';

describe('ticketFor (the CLI ticket of an operation)', () => {
  let saved: string | undefined;
  let dataDir: string;
  beforeEach(() => {
    saved = process.env.EKTP_BRIDGE_DATADIR;
    dataDir = mkdtempSync(join(tmpdir(), 'ektp-ticket-for-'));
    process.env.EKTP_BRIDGE_DATADIR = dataDir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.EKTP_BRIDGE_DATADIR;
    else process.env.EKTP_BRIDGE_DATADIR = saved;
  });

  it('without a ticket nor a dev key, names the flag of the running command', async () => {
    const config = loadCliConfig({});
    expect(config.security.requireTickets).toBe(true);
    await expect(
      ticketFor(config, 'card.read', ['biodata'], undefined, '--read-ticket'),
    ).rejects.toMatchObject({
      code: 'TICKET_REQUIRED',
      message: expect.stringMatching(/pass --read-ticket \(/),
    });
    await expect(ticketFor(config, 'finger.capture', [], undefined, '--ticket')).rejects.toMatchObject({
      message: expect.stringMatching(/^finger\.capture .* pass --ticket \(/),
    });
  });

  it('passes a given ticket through, and mints one where serve --simulate left its dev key', async () => {
    const config = loadCliConfig({});
    expect(await ticketFor(config, 'finger.capture', [], 'given.jws.value', '--ticket')).toBe(
      'given.jws.value',
    );
    await ensureDevBackend(dataDir);
    const minted = await ticketFor(config, 'finger.capture', [], undefined, '--ticket');
    const claims = JSON.parse(Buffer.from(String(minted).split('.')[1], 'base64url').toString('utf8'));
    expect(claims.op).toBe('finger.capture');
  });
});
