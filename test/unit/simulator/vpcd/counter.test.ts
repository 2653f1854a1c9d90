/**
 * The vpcd counter (`ektp-bridge simulate`) against fake vpcd slots (plain listeners: connecting is
 * inserting): what `list` reports, and the one "cannot reach vpcd" report per outage.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VpcdCounter } from '../../../../simulator/vpcd/counter.ts';

/** two consecutive free ports, slot 0 and slot 1, both listening */
async function fakeVpcd(): Promise<{ port: number; servers: Server[] }> {
  for (;;) {
    const a = createServer();
    const port = await new Promise<number>((resolve) =>
      a.listen(0, '127.0.0.1', () => resolve((a.address() as { port: number }).port)),
    );
    if (port >= 65535) {
      a.close();
      continue;
    }
    const b = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      b.once('error', () => resolve(false));
      b.listen(port + 1, '127.0.0.1', () => resolve(true));
    });
    if (ok) return { port, servers: [a, b] };
    a.close();
  }
}

async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('VpcdCounter', () => {
  let counter: VpcdCounter | undefined;
  const servers: Server[] = [];
  afterEach(async () => {
    await counter?.stop();
    for (const s of servers.splice(0)) s.close();
  });

  it('reports each slot vpcd does not answer on once, with its address, not every second', async () => {
    // a free pair of ports, closed again: nothing listens there
    const { port, servers: pair } = await fakeVpcd();
    await Promise.all(pair.map((s) => new Promise((r) => s.close(r))));
    const reports: string[] = [];
    counter = new VpcdCounter({
      basePort: port,
      residents: 2,
      onUnreachable: (slot, a, err) =>
        reports.push(`${slot} ${a.host}:${a.port} ${(err as NodeJS.ErrnoException).code}`),
    });
    counter.start();
    counter.tap(1);
    await new Promise((r) => setTimeout(r, 2300)); // two retries
    expect(reports.sort()).toEqual([
      `0 127.0.0.1:${port} ECONNREFUSED`,
      `1 127.0.0.1:${port + 1} ECONNREFUSED`,
    ]);
    expect(counter.status()).toEqual({
      card: { index: 1, faults: {} },
      cardInserted: false,
      samInserted: false,
    });
  });

  it('status() follows tap, tamper and pull, and the slots vpcd holds', async () => {
    const vpcd = await fakeVpcd();
    servers.push(...vpcd.servers);
    const reports: number[] = [];
    counter = new VpcdCounter({
      basePort: vpcd.port,
      residents: 3,
      onUnreachable: (slot) => reports.push(slot),
    });
    counter.start();
    await until(() => counter!.status().samInserted);
    expect(counter.status()).toEqual({ cardInserted: false, samInserted: true });
    counter.tap(2, { tamperedBiodata: true });
    await until(() => counter!.status().cardInserted);
    expect(counter.status().card).toEqual({ index: 2, faults: { tamperedBiodata: true } });
    counter.pull();
    expect(counter.status()).toEqual({ cardInserted: false, samInserted: true });
    expect(() => counter!.tap(3)).toThrow(/no resident 3: residents are 0 to 2/);
    expect(reports).toEqual([]);
  });
});
