import { EventEmitter } from 'node:events';
import type {
  CardChannel,
  CardReaderStack,
  CardReaderStackEvents,
  ReaderInfo,
} from '../../../drivers/pcsc/types.ts';
import { BridgeError } from '../../../protocols/errors.ts';
import type { SimulatedDevice } from '../../../simulator/ektp/device.ts';

interface Slot {
  device?: SimulatedDevice;
  generation: number;
}

/**
 * A fake PC/SC stack driven step by step, announcing what pcsclite announces and in the same shape:
 * a reader first appears empty (reader-added), a card that sat in it shows up as a later
 * card-inserted, and pcscd going away removes cards, then readers. Unlike the in-process simulator
 * it lets a test put readers and cards in any order, before or after the daemon listens, and make
 * the first connects to a reader fail (pcscd still powering a card present at start).
 */
export class ScriptedStack extends EventEmitter<CardReaderStackEvents> implements CardReaderStack {
  private readonly slots = new Map<string, Slot>();
  /** reader name → how many more connects fail as "card unpowered" */
  readonly failConnects = new Map<string, number>();

  addReader(name: string): void {
    this.slots.set(name, { generation: 0 });
    this.emit('reader-added', name);
  }

  insert(name: string, device: SimulatedDevice): void {
    const slot = this.slot(name);
    device.powerOn();
    slot.device = device;
    slot.generation++;
    this.emit('card-inserted', name, device.atr);
  }

  remove(name: string): void {
    const slot = this.slot(name);
    if (!slot.device) return;
    slot.device = undefined;
    slot.generation++;
    this.emit('card-removed', name);
  }

  /** pcscd killed and started again: every card and reader goes, then they come back as they were */
  bounce(): void {
    const before = [...this.slots.entries()].map(([name, s]) => ({ name, device: s.device }));
    for (const { name } of before) {
      this.remove(name);
      this.slots.delete(name);
      this.emit('reader-removed', name);
    }
    this.emit('service-state', false);
    this.emit('service-state', true);
    for (const { name, device } of before) {
      this.addReader(name);
      if (device) this.insert(name, device);
    }
  }

  readers(): ReaderInfo[] {
    return [...this.slots.entries()].map(([name, s]) => ({
      name,
      cardPresent: !!s.device,
      atr: s.device?.atr,
    }));
  }

  async connect(name: string): Promise<CardChannel> {
    await new Promise((r) => setImmediate(r));
    const slot = this.slots.get(name);
    if (!slot) throw new BridgeError('NO_READER');
    if (!slot.device) throw new BridgeError('NO_CARD');
    const fails = this.failConnects.get(name) ?? 0;
    if (fails > 0) {
      this.failConnects.set(name, fails - 1);
      throw new BridgeError('CARD_REMOVED', 'connect failed: card is unpowered');
    }
    const generation = slot.generation;
    const device = slot.device;
    return {
      readerName: name,
      atr: device.atr,
      transmit: async (apdu) => {
        await new Promise((r) => setImmediate(r));
        if (slot.generation !== generation) throw new BridgeError('CARD_REMOVED');
        return device.transmit(apdu);
      },
      beginTransaction: async () => {},
      endTransaction: async () => {},
      close: async () => {},
    };
  }

  async close(): Promise<void> {}

  private slot(name: string): Slot {
    const s = this.slots.get(name);
    if (!s) throw new Error(`scripted stack: no reader "${name}"`);
    return s;
  }
}
