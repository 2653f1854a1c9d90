import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PcscLiteStack } from '../../../drivers/pcsc/pcsclite-stack.ts';
import { validateConfig } from '../../../src/config/index.ts';
import { startDaemon } from '../../../src/daemon/daemon.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { CARD_FIELDS } from '../../../src/services/types.ts';
import { Pcscd, pcscdAvailable, RF_READER, SAM_READER, sleep, withPcscdLock } from '../helpers/pcscd.ts';
import { type PcscdRig, pcscdRig, stackEvent } from './pcscd-rig.ts';
import { cardSideFor } from './rig.ts';

const avail = pcscdAvailable();

describe.skipIf(!avail.ok)('recovery from pcscd restarts', () => {
  let rig: PcscdRig;
  beforeAll(async () => {
    rig = await pcscdRig(2);
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('recovers by itself when pcscd is killed and restarted, and reads again', async () => {
    const side = cardSideFor(rig);
    await rig.tap(0);
    expect((await side.cards.read({ fields: CARD_FIELDS })).result.documentSignature).toBe('valid');

    const down = new Promise<void>((r) => rig.stack.once('service-state', (up) => !up && r()));
    await rig.pcscd.restart();
    await down;
    // the daemon re-creates its context with backoff; the readers come back without any call from us
    for (let t = 0; t < 100 && rig.stack.readers().length < 2; t++) await sleep(100);
    expect(
      rig.stack
        .readers()
        .map((r) => r.name)
        .sort(),
    ).toEqual([RF_READER, SAM_READER]);
    expect(rig.stack.serviceUp).toBe(true);

    // pcscd dropped the vpcd clients: put the SAM and card back, as the simulator process does
    await rig.reinsertSam();
    await rig.tap(1);
    const { result } = await side.cards.read({ fields: CARD_FIELDS });
    expect(result.documentSignature).toBe('valid');
    expect(result.biodata?.nik).toBe(rig.residents[1].biodata.nik);
  });
});

describe.skipIf(!avail.ok)('pcscd down at start', () => {
  it('keeps retrying and finds the readers once pcscd starts', async () => {
    const unlock = await withPcscdLock();
    const pcscd = new Pcscd();
    const stack = new PcscLiteStack({ backoffMinMs: 100, backoffMaxMs: 500 });
    try {
      await sleep(300);
      expect(stack.serviceUp).toBe(false);
      const added = stackEvent(stack, 'reader-added', RF_READER, 10_000);
      await pcscd.start();
      await added;
      expect(stack.serviceUp).toBe(true);
    } finally {
      await stack.close();
      await pcscd.stop();
      pcscd.cleanup();
      unlock();
    }
  });

  it('a daemon started while pcscd is down says so in /health until pcscd comes', async () => {
    const unlock = await withPcscdLock();
    const pcscd = new Pcscd();
    const dataDir = mkdtempSync(join(tmpdir(), 'ektp-pcscd-down-'));
    const daemon = await startDaemon({
      config: validateConfig({ port: 0, dataDir, sensors: [] }),
      logger: silentLogger(),
    });
    try {
      // the stack was down from its first moment, so no change event ever said so
      expect(await daemon.services.health()).toMatchObject({ ok: false, pcsc: 'down' });
      await pcscd.start();
      const deadline = Date.now() + 10_000;
      while ((await daemon.services.health()).pcsc !== 'up' && Date.now() < deadline) await sleep(100);
      expect((await daemon.services.health()).pcsc).toBe('up');
    } finally {
      await daemon.close();
      await pcscd.stop();
      pcscd.cleanup();
      unlock();
    }
  }, 60_000);
});
