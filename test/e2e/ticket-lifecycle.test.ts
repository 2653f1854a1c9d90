import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EktpBridgeClient } from '../../src/client/index.ts';
import { loadDevBackend } from '../../src/security/dev-backend.ts';
import { startSimulatedDaemon } from './helpers.ts';

// The ticket's life through the real daemon (serve --simulate, child process): spent only when the
// card read starts, and still spent after a restart (docs/security.md).

type Daemon = Awaited<ReturnType<typeof startSimulatedDaemon>>;
let daemons: Daemon[] = [];
afterEach(async () => {
  for (const d of daemons) await d.stop();
  daemons = [];
});

async function start(dataDir: string, port?: number): Promise<Daemon> {
  const d = await startSimulatedDaemon({
    EKTP_BRIDGE_DATADIR: dataDir,
    ...(port ? { EKTP_BRIDGE_PORT: String(port) } : {}),
  });
  const fixed = port ? { ...d, port } : d;
  daemons.push(fixed);
  return fixed;
}

async function client(d: Daemon): Promise<EktpBridgeClient> {
  const c = new EktpBridgeClient({ origin: `http://127.0.0.1:${d.port}` });
  await c.connect(`ws://127.0.0.1:${d.port}/v1`);
  return c;
}

async function mint(d: Daemon, scope: string[]): Promise<string> {
  const dev = await loadDevBackend(String(d.env.EKTP_BRIDGE_DATADIR));
  return dev.mint({ op: 'card.read', scope, origin: `http://127.0.0.1:${d.port}` });
}

const reasonOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { reason?: string; detail?: { check?: string } }) =>
      e.detail?.check ? `${e.reason}: ${e.detail.check}` : String(e.reason),
  );

describe('tickets through the daemon', () => {
  it('refused for scope, the same ticket reads within scope; BUSY, then the same ticket succeeds', async () => {
    const d = await start(mkdtempSync(join(tmpdir(), 'ektp-ticket-')));
    const c = await client(d);
    const narrow = await mint(d, ['biodata']);
    expect(await reasonOf(c.call('card.read', { fields: ['photo'], ticket: narrow }))).toBe(
      'TICKET_INVALID: scope',
    );
    const r = await c.call('card.read', { fields: ['biodata'], ticket: narrow });
    expect(r.card.nik).toMatch(/^\d{16}$/);
    expect(await reasonOf(c.call('card.read', { ticket: narrow }))).toBe(
      'TICKET_INVALID: nonce already used',
    );

    // two counters' reads at once on one reader: the second is BUSY and retries with its ticket
    const other = await client(d);
    const [t1, t2] = [await mint(d, ['biodata']), await mint(d, ['biodata'])];
    const outcomes = await Promise.all([
      reasonOf(c.call('card.read', { ticket: t1 })),
      reasonOf(other.call('card.read', { ticket: t2 })),
    ]);
    expect([...outcomes].sort()).toEqual(['BUSY', 'ok']);
    const busyTicket = outcomes[0] === 'BUSY' ? t1 : t2;
    const retried = await (outcomes[0] === 'BUSY' ? c : other).call('card.read', { ticket: busyTicket });
    expect(retried.card.nik).toMatch(/^\d{16}$/);
    c.close();
    other.close();
  }, 60_000);

  it('a ticket used before a restart is refused after it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ektp-restart-'));
    const first = await start(dataDir);
    const ticket = await mint(first, ['biodata']);
    const c = await client(first);
    expect((await c.call('card.read', { ticket })).card.nik).toMatch(/^\d{16}$/);
    c.close();
    await first.stop();

    // the same port, so the page keeps its origin and the ticket passes every check but the nonce
    const second = await start(dataDir, first.port);
    const c2 = await client(second);
    expect(await reasonOf(c2.call('card.read', { ticket }))).toBe('TICKET_INVALID: nonce already used');
    // a fresh ticket works: the restart refused only the used one
    expect((await c2.call('card.read', { ticket: await mint(second, ['biodata']) })).card.nik).toMatch(
      /^\d{16}$/,
    );
    c2.close();
  }, 60_000);
});
