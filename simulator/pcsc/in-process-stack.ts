import { EventEmitter } from 'node:events';
import type {
  CardChannel,
  CardReaderStack,
  CardReaderStackEvents,
  ReaderInfo,
} from '../../drivers/pcsc/types.ts';
import { BridgeError } from '../../protocols/errors.ts';
import type { SimulatedDevice } from '../ektp/device.ts';

interface Slot {
  device?: SimulatedDevice;
  generation: number;
  /** false while the reader is unplugged (it is then not listed) */
  connected: boolean;
  /** what sat in the reader when it was unplugged: it is still there when the reader comes back */
  parked?: SimulatedDevice;
}

export const SIM_RF_READER = 'Simulated e-KTP Reader RF 00 00';
export const SIM_SAM_READER = 'Simulated e-KTP Reader SAM 00 01';

/**
 * The in-process stand-in for pcscd, used by `serve --simulate` (no pcscd needed): two readers, an
 * RF slot and a SAM slot, with insert/remove under program control. It implements the same
 * CardReaderStack seam as the pcsclite driver, so everything above it runs unchanged. Responses are
 * delivered asynchronously, as from a real reader.
 */
export class InProcessReaderStack extends EventEmitter<CardReaderStackEvents> implements CardReaderStack {
  private readonly slots = new Map<string, Slot>();

  constructor(readerNames: string[] = [SIM_RF_READER, SIM_SAM_READER]) {
    super();
    for (const name of readerNames) this.slots.set(name, { generation: 0, connected: true });
    queueMicrotask(() => {
      for (const name of readerNames) this.emit('reader-added', name);
    });
  }

  readers(): ReaderInfo[] {
    return [...this.slots.entries()]
      .filter(([, s]) => s.connected)
      .map(([name, s]) => ({
        name,
        cardPresent: !!s.device,
        atr: s.device?.atr,
      }));
  }

  /** A card pulled mid-read is a device that answers nothing (simulator/ektp/pull-after.ts). */
  insert(readerName: string, device: SimulatedDevice): void {
    const slot = this.slot(readerName);
    if (!slot.connected) {
      slot.parked = device; // put into an unplugged reader: there when it comes back
      return;
    }
    if (slot.device) this.remove(readerName);
    device.powerOn();
    slot.device = device;
    slot.generation++;
    this.emit('card-inserted', readerName, device.atr);
  }

  remove(readerName: string): void {
    const slot = this.slot(readerName);
    if (!slot.device) return;
    slot.device = undefined;
    slot.generation++;
    this.emit('card-removed', readerName);
  }

  /** The USB cable pulled: the card in it is gone for the host, then the reader. */
  unplugReader(readerName: string): void {
    const slot = this.slot(readerName);
    if (!slot.connected) return;
    slot.parked = slot.device;
    this.remove(readerName);
    slot.connected = false;
    this.emit('reader-removed', readerName);
  }

  /** Plugged back: the reader, then the card that stayed in it (powered up again, so reset). */
  plugReader(readerName: string): void {
    const slot = this.slot(readerName);
    if (slot.connected) return;
    slot.connected = true;
    this.emit('reader-added', readerName);
    const parked = slot.parked;
    slot.parked = undefined;
    if (parked) this.insert(readerName, parked);
  }

  device(readerName: string): SimulatedDevice | undefined {
    return this.slot(readerName).device;
  }

  async connect(readerName: string): Promise<CardChannel> {
    const slot = this.slots.get(readerName);
    if (!slot?.connected) throw new BridgeError('NO_READER', `reader "${readerName}" is not connected`);
    if (!slot.device) throw new BridgeError('NO_CARD');
    const generation = slot.generation;
    const atr = slot.device.atr;
    const alive = () => slot.device !== undefined && slot.generation === generation;
    return {
      readerName,
      atr,
      transmit: async (apdu) => {
        await new Promise((r) => setImmediate(r));
        if (!alive()) throw new BridgeError('CARD_REMOVED');
        const res = slot.device!.transmit(apdu);
        // same rule as the pcsclite driver: no status word means the card is gone
        if (res.length < 2) {
          this.remove(readerName);
          throw new BridgeError('CARD_REMOVED', 'no response from the card');
        }
        return res;
      },
      beginTransaction: async () => {},
      endTransaction: async () => {},
      close: async () => {},
    };
  }

  async close(): Promise<void> {
    for (const name of this.slots.keys()) this.remove(name);
  }

  private slot(name: string): Slot {
    const s = this.slots.get(name);
    if (!s) throw new BridgeError('NO_READER', `no simulated reader "${name}"`);
    return s;
  }
}
