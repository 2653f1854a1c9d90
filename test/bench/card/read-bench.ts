/**
 * Full e-KTP reads per second, in-process and through the real pcscd + vpcd, with a 16 KB photo:
 *   npx tsx test/bench/card/read-bench.ts [reads=50]
 * Prints APDUs and bytes per read and time per read (median, p95). The pcscd part needs root,
 * pcscd and vsmartcard-vpcd (.ci/setup installs them); it uses the quick-ACK loopback route when it
 * can add it and says so when it cannot.
 */
import jpeg from 'jpeg-js';
import { PcscLiteStack } from '../../../drivers/pcsc/pcsclite-stack.ts';
import type { CardReaderStack } from '../../../drivers/pcsc/types.ts';
import { openSamBlock } from '../../../protocols/ektp/commands.ts';
import { SimulatedCard } from '../../../simulator/ektp/card.ts';
import { SimulatedSam } from '../../../simulator/ektp/sam.ts';
import { testKeys } from '../../../simulator/ektp/test-keys.ts';
import {
  InProcessReaderStack,
  SIM_RF_READER,
  SIM_SAM_READER,
} from '../../../simulator/pcsc/in-process-stack.ts';
import { makeResident, type Resident } from '../../../simulator/residents/resident.ts';
import { VpcdLink } from '../../../simulator/vpcd/link.ts';
import { validateConfig } from '../../../src/config/index.ts';
import { createCardSide } from '../../../src/daemon/card-side.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { CARD_FIELDS } from '../../../src/services/types.ts';
import {
  Pcscd,
  pcscdAvailable,
  quickAckHost,
  RF_READER,
  SAM_READER,
} from '../../integration/helpers/pcscd.ts';

const N = Number(process.argv[2] ?? 50);
const keys = testKeys();

/** A resident whose photo is re-encoded to at least 16 KB (the issue's target case). */
function residentWith16kPhoto(): Resident {
  const r = makeResident(7);
  const img = jpeg.decode(r.photo, { useTArray: true });
  for (let q = 80; q <= 100; q++) {
    const out = jpeg.encode({ data: img.data, width: img.width, height: img.height }, q).data;
    if (out.length >= 16_000) return { ...r, photo: new Uint8Array(out) };
  }
  throw new Error('could not make a 16 KB photo');
}

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)],
    p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)],
  };
}

async function bench(label: string, stack: CardReaderStack): Promise<void> {
  const side = createCardSide(stack, validateConfig({}), silentLogger(), () => ({
    block: openSamBlock(keys.pcid, keys.conf),
  }));
  await side.directory.settled();
  await side.cards.read({ fields: CARD_FIELDS }); // warm-up: opens the SAM
  const ms: number[] = [];
  let apdus = { card: 0, sam: 0, bytes: 0 };
  for (let i = 0; i < N; i++) {
    const out = await side.cards.read({ fields: CARD_FIELDS });
    if (out.result.documentSignature !== 'valid') throw new Error('read was not valid');
    ms.push(out.ms);
    apdus = out.apdus;
  }
  const s = stats(ms);
  console.log(
    `${label.padEnd(34)} reads=${N} apdus/read: card ${apdus.card} + sam ${apdus.sam} = ${apdus.card + apdus.sam}, ` +
      `bytes/read ${apdus.bytes}, ms/read median ${s.median.toFixed(1)} p95 ${s.p95.toFixed(1)}`,
  );
  await side.sam.close();
}

const resident = residentWith16kPhoto();
console.log(`photo ${resident.photo.length} bytes`);

{
  const stack = new InProcessReaderStack();
  stack.insert(SIM_SAM_READER, new SimulatedSam({ ...keys }));
  stack.insert(SIM_RF_READER, new SimulatedCard({ resident, masterKey: keys.masterKey }));
  await bench('in-process', stack);
}

const avail = pcscdAvailable();
if (!avail.ok) {
  console.log(`pcscd + vpcd: skipped (${avail.why})`);
} else {
  const pcscd = new Pcscd();
  await pcscd.start();
  const { host, quickAck, why } = quickAckHost();
  const stack = new PcscLiteStack();
  const sam = new VpcdLink({ device: new SimulatedSam({ ...keys }), host, slot: 1 });
  const card = new VpcdLink({
    device: new SimulatedCard({ resident, masterKey: keys.masterKey }),
    host,
    slot: 0,
  });
  await sam.insert();
  await card.insert();
  const ready = () => stack.readers().length === 2 && stack.readers().every((r) => r.cardPresent);
  for (let i = 0; i < 100 && !ready(); i++) await new Promise((r) => setTimeout(r, 50));
  if (
    !stack.readers().some((r) => r.name === RF_READER) ||
    !stack.readers().some((r) => r.name === SAM_READER)
  ) {
    throw new Error('vpcd readers did not appear');
  }
  await bench(`pcscd + vpcd (${quickAck ? 'quickack 127.0.0.2' : `127.0.0.1, no quickack: ${why}`})`, stack);
  await card.remove();
  await sam.remove();
  await stack.close();
  await pcscd.stop();
  pcscd.cleanup();
}
process.exit(0);
