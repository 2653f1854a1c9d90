import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDevBackend } from '../../../src/security/dev-backend.ts';
import { createTicketVerifier } from '../../../src/security/tickets.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['src/cli/bin.js', ...args], { cwd: ROOT }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('ektp-bridge ticket', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ticket-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const args = [
    'ticket',
    '--op',
    'card.read',
    '--scope',
    'biodata,photo',
    '--origin',
    'http://127.0.0.1:7215',
  ];

  it('refuses without the development key', async () => {
    const r = await cli([...args, '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^INVALID_PARAMS: no development backend key/m);
  });

  it('prints a ticket that a daemon trusting the development key accepts', async () => {
    const backend = await ensureDevBackend(dir);
    const r = await cli([...args, '--data-dir', dir, '--aud', 'dev-1', '--ttl', '60']);
    expect(r.code).toBe(0);
    const verify = createTicketVerifier({
      keys: [backend.publicJwk as never],
      deviceId: 'dev-1',
      requireTickets: true,
    });
    const claims = (
      await verify(
        'card.read',
        { ticket: r.stdout.trim() },
        { origin: 'http://127.0.0.1:7215', requestId: 1 },
      )
    )?.claims;
    expect(claims).toMatchObject({ scope: ['biodata', 'photo'], aud: 'dev-1' });
    expect(claims!.exp - claims!.iat).toBe(60);
  });

  it('refuses an op that takes no ticket', async () => {
    const r = await cli(['ticket', '--op', 'system.info', '--origin', 'http://x', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--op must be one of/);
  });
});
