import { once } from 'node:events';
import { PcscLiteStack } from '../../../drivers/pcsc/pcsclite-stack.ts';
import { openSamBlock } from '../../../protocols/ektp/commands.ts';
import { SimulatedCard } from '../../../simulator/ektp/card.ts';
import { withCommandLog } from '../../../simulator/ektp/device.ts';
import { SimulatedSam } from '../../../simulator/ektp/sam.ts';
import { testKeys } from '../../../simulator/ektp/test-keys.ts';
import { makeResidents } from '../../../simulator/residents/resident.ts';
import { VpcdLink } from '../../../simulator/vpcd/link.ts';
import { Pcscd, quickAckHost, RF_READER, SAM_READER, withPcscdLock } from '../helpers/pcscd.ts';
import type { CardRig } from './rig.ts';

export interface PcscdRig extends CardRig {
  pcscd: Pcscd;
  host: string;
  quickAck: boolean;
  stack: PcscLiteStack;
  /** reconnects the SAM link (after a pcscd restart the peer closes every link) */
  reinsertSam(): Promise<void>;
}

/** Waits for a stack event about one reader, with a deadline. */
export async function stackEvent(
  stack: PcscLiteStack,
  event: 'card-inserted' | 'card-removed' | 'reader-added',
  reader: string,
  ms = 5000,
): Promise<void> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), ms);
  try {
    for (;;) {
      const [name] = await once(stack, event, { signal: ac.signal });
      if (name === reader) return;
    }
  } catch {
    throw new Error(`no ${event} for ${reader} within ${ms} ms`);
  } finally {
    clearTimeout(timer);
  }
}

/** The real thing: pcscd with the vpcd driver, the simulated SAM and card connected as vpcd clients. */
export async function pcscdRig(residents = 4): Promise<PcscdRig> {
  const unlock = await withPcscdLock();
  const pcscd = new Pcscd();
  await pcscd.start();
  const { host, quickAck, why } = quickAckHost();
  if (!quickAck)
    console.warn(
      `pcscd tests: quick-ACK loopback route not available (${why}); using 127.0.0.1, ~44 ms per APDU`,
    );
  const keys = testKeys();
  const stack = new PcscLiteStack({ backoffMinMs: 100, backoffMaxMs: 1000 });
  await stackEvent(stack, 'reader-added', SAM_READER).catch(() => {});
  const people = makeResidents(residents, 1);
  const samCommands: number[] = [];
  let samLink: VpcdLink | undefined;
  let samOpts: { blocked?: boolean; triesLeft?: number } = {};
  let currentSam: SimulatedSam | undefined;
  let cardLink: VpcdLink | undefined;

  const insertSam = async (opts: { blocked?: boolean; triesLeft?: number }) => {
    samOpts = opts;
    if (samLink?.inserted) {
      const removed = stackEvent(stack, 'card-removed', SAM_READER);
      await samLink.remove();
      await removed;
    }
    const sam = new SimulatedSam({ ...keys, issuerPublicKeySpkiPem: keys.issuerPublicKeySpkiPem, ...opts });
    currentSam = sam;
    samLink = new VpcdLink({ device: withCommandLog(sam, samCommands), host, slot: 1 });
    samLink.on('error', () => {});
    const inserted = stackEvent(stack, 'card-inserted', SAM_READER);
    await samLink.insert();
    await inserted;
  };
  const rfPresent = () => stack.readers().some((r) => r.name === RF_READER && r.cardPresent);
  const pull = async () => {
    if (!cardLink?.inserted && !rfPresent()) return;
    // a card pulled by the link (pullAfter) is gone already, but pcscd may not have said so yet
    const removed = stackEvent(stack, 'card-removed', RF_READER);
    await cardLink?.remove();
    await removed;
  };
  await insertSam({});

  return {
    name: 'pcscd+vpcd',
    pcscd,
    host,
    quickAck,
    stack,
    residents: people,
    samCommands,
    samKey: () => ({ block: openSamBlock(keys.pcid, keys.conf) }),
    insertSam,
    reinsertSam: () => insertSam(samOpts),
    resetSam: () => currentSam?.reset(),
    pull,
    async tap(i, opts = {}) {
      await pull();
      const card = new SimulatedCard({ resident: people[i], masterKey: keys.masterKey, faults: opts.faults });
      cardLink = new VpcdLink({ device: card, host, slot: 0 });
      cardLink.on('error', () => {});
      const inserted = stackEvent(stack, 'card-inserted', RF_READER);
      await cardLink.insert();
      await inserted;
      if (opts.pullAfter !== undefined) cardLink.pullAfter(opts.pullAfter);
    },
    async close() {
      await cardLink?.remove();
      await samLink?.remove();
      await stack.close();
      await pcscd.stop();
      pcscd.cleanup();
      unlock();
    },
  };
}
