/**
 * Fault matrix (issue 11 item 7): the card pulled at EVERY APDU of a read and of a verify. Each
 * pull is answered (CARD_REMOVED, never a hang, never another code), nothing is left half done
 * (no BUSY, the SAM stays open, the card's templates are not kept), and the next tap works without
 * any restart. Every decision that was answered is in the audit trail, and it verifies.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedWorld } from '../../../simulator/world.ts';
import { auditLogPath, verifyAuditLog } from '../../../src/audit/index.ts';
import { validateConfig } from '../../../src/config/index.ts';
import { createCardSide } from '../../../src/daemon/card-side.ts';
import { type Daemon, startDaemon } from '../../../src/daemon/daemon.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { CARD_FIELDS } from '../../../src/services/types.ts';
import { outcome } from './outcome.ts';

/** answer or hang, as the fault matrix counts it (./outcome.ts) */
const answerOf = (p: Promise<unknown>, ms = 20_000) => outcome(p, ms);

describe('card pulled at every APDU of a read (in-process counter)', () => {
  it('each pull gives CARD_REMOVED; the SAM stays open; the next tap reads in full', async () => {
    const world = new SimulatedWorld({ residents: 2, noCard: true });
    const side = createCardSide(world.stack, validateConfig({}), silentLogger(), () => world.samKey());
    world.tapCard(1);
    const first = await side.cards.read({ fields: CARD_FIELDS });
    const total = first.apdus.card;
    expect(total).toBeGreaterThan(20);
    const openSams = world.samCommands.filter((ins) => ins === 0xf0).length;
    const wrong: string[] = [];
    for (let after = 0; after < total; after++) {
      world.tapCard(1, { pullAfter: after });
      const got = await answerOf(side.cards.read({ fields: CARD_FIELDS }));
      if (got !== 'CARD_REMOVED') wrong.push(`pulled after ${after} of ${total} APDUs: ${got}`);
      expect(side.cards.isBusy()).toBe(false);
      world.pullCard();
      world.tapCard(1);
      const again = await side.cards.read({ fields: CARD_FIELDS });
      if (
        again.result.documentSignature !== 'valid' ||
        again.result.biodata?.nik !== first.result.biodata?.nik
      )
        wrong.push(`read after the pull at ${after} was not whole`);
    }
    expect(wrong).toEqual([]);
    expect(side.sam.state).toBe('open');
    // the SAM was never re-opened: a card pull costs the SAM nothing
    expect(world.samCommands.filter((ins) => ins === 0xf0).length).toBe(openSams);
    await world.stack.close();
  }, 120_000);
});

describe('card pulled at every APDU of a verify (the daemon on the simulated counter)', () => {
  let daemon: Daemon;
  let dataDir: string;
  const ctx = () => ({ signal: new AbortController().signal, progress() {}, origin: 'http://127.0.0.1' });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ektp-fault-verify-'));
    const config = validateConfig({
      port: 0,
      dataDir,
      hosts: ['127.0.0.1'],
      simulate: { residents: 1, noCard: true },
    });
    daemon = await startDaemon({ config, logger: silentLogger(), simulate: true });
  }, 120_000);
  afterAll(async () => {
    await daemon?.close();
  });

  it('each pull during the card part gives CARD_REMOVED; verifies after it match; every answer is audited', async () => {
    const world = daemon.world!;
    const fingers = daemon.fingers!;
    fingers.control.genuineFinger();
    let decisions = 0;
    const wrong: string[] = [];
    // pull after 0, 1, 2, ... card APDUs until the verify's card part is done and it matches
    let after = 0;
    for (; after < 400; after++) {
      await fingers.tapCard(0, { pullAfter: after });
      const got = await answerOf(daemon.services.fingerVerify({}, ctx()));
      world.pullCard();
      if (got === 'ok') {
        decisions++;
        break;
      }
      if (got !== 'CARD_REMOVED') wrong.push(`pulled after ${after} APDUs: ${got}`);
      // recovery, checked every few pulls (each verify captures and matches)
      if (after % 6 === 0) {
        await fingers.tapCard(0);
        const v = await daemon.services.fingerVerify({}, ctx());
        decisions++;
        if (v.matched !== true) wrong.push(`verify after the pull at ${after} did not match`);
        world.pullCard();
      }
    }
    expect(wrong).toEqual([]);
    expect(after).toBeGreaterThan(10); // the card part of a verify is that many APDUs
    const audit = await verifyAuditLog(auditLogPath(dataDir));
    expect(audit.ok).toBe(true);
    expect(audit.entries - audit.checkpoints).toBe(decisions); // the signed start checkpoint is not a decision
  }, 300_000);
});
