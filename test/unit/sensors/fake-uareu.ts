/**
 * A scripted U.are.U 4000-family device for the EXPERIMENTAL driver's tests, built from the same
 * public description as the driver: HWSTAT power bits, mode register, interrupts, and a frame
 * whose blocks can be scrambled with a per-key-number LFSR key served through 0x33/0x34.
 */
import {
  URU_FRAME_LEN,
  URU_HEADER_LEN,
  URU_WIDTH,
  UruBlockFlag,
  UruMode,
  UruRegister,
  uruNextKey,
  uruScramble,
} from '../../../protocols/sensors/uareu4000.ts';
import type { FakeDeviceBehaviour } from './fake-usb.ts';

export interface FakeUruOptions {
  /** lines of the frame; blocks as (flags, lines) */
  lines: number;
  blocks: [number, number][];
  /** plain (not inverted) sensor value of each pixel */
  pixel: (x: number, y: number) => number;
  keyNumber?: number;
  initialHwstat?: number;
}

export function keyFor(keyNumber: number): number {
  return (0x1234567 * (keyNumber + 1)) >>> 0;
}

export class FakeUru implements FakeDeviceBehaviour {
  hwstat: number;
  mode = -1;
  fingerOn = false;
  private readonly interrupts: Uint8Array[] = [];
  private keyIndex: Uint8Array = new Uint8Array(5);

  constructor(private readonly o: FakeUruOptions) {
    this.hwstat = o.initialHwstat ?? 0x80;
  }

  placeFinger(): void {
    this.fingerOn = true;
    if (this.mode === UruMode.AWAIT_FINGER_ON) this.interrupt(0x0101);
  }

  private interrupt(type: number): void {
    const m = new Uint8Array(64);
    m[0] = type >> 8;
    m[1] = type & 0xff;
    this.interrupts.push(m);
  }

  transferIn(endpoint: number): Uint8Array | null {
    if (endpoint === 0x81) return this.interrupts.shift() ?? null;
    if (endpoint === 0x82 && this.mode === UruMode.CAPTURE) return this.frame();
    return null;
  }

  transferOut(): void {
    throw new Error('the U.are.U has no OUT endpoint');
  }

  controlIn(register: number, length: number): Uint8Array {
    if (register === UruRegister.HWSTAT) return Uint8Array.of(this.hwstat).subarray(0, length);
    if (register === UruRegister.SCRAMBLE_DATA_KEY) {
      const seed = new DataView(this.keyIndex.buffer).getUint32(1, true);
      const value = (keyFor(this.keyIndex[0]) ^ seed) >>> 0;
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, value, true);
      return out;
    }
    return new Uint8Array(length);
  }

  controlOut(register: number, data: Uint8Array): void {
    if (register === UruRegister.HWSTAT) {
      const wasLowPower = (this.hwstat & 0x80) !== 0;
      this.hwstat = data[0];
      if (wasLowPower && (data[0] & 0x80) === 0) this.interrupt(0x56aa);
    } else if (register === UruRegister.MODE) {
      this.mode = data[0];
      if (this.mode === UruMode.AWAIT_FINGER_ON && this.fingerOn) this.interrupt(0x0101);
    } else if (register === UruRegister.SCRAMBLE_DATA_INDEX) {
      this.keyIndex = data.slice(0, 5);
    }
  }

  /** the frame as the device sends it: plain pixels, then scrambled blocks */
  frame(): Uint8Array {
    const f = new Uint8Array(URU_FRAME_LEN);
    f[4] = this.o.lines & 0xff;
    f[5] = this.o.lines >> 8;
    f[6] = this.o.keyNumber ?? 0;
    this.o.blocks.forEach(([flags, n], i) => {
      f[16 + 2 * i] = flags;
      f[17 + 2 * i] = n;
    });
    for (let y = 0; y < this.o.lines; y++) {
      for (let x = 0; x < URU_WIDTH; x++) f[URU_HEADER_LEN + y * URU_WIDTH + x] = this.o.pixel(x, y);
    }
    let keyNumber = this.o.keyNumber ?? 0;
    let key = keyFor(keyNumber);
    let line = 0;
    for (const [flags, n] of this.o.blocks) {
      if (flags & UruBlockFlag.CHANGE_KEY) key = keyFor(++keyNumber);
      const block = f.subarray(URU_HEADER_LEN + line * URU_WIDTH, URU_HEADER_LEN + (line + n) * URU_WIDTH);
      if ((flags & (UruBlockFlag.ENCRYPTED | UruBlockFlag.NO_KEY_UPDATE)) === UruBlockFlag.ENCRYPTED)
        key = uruScramble(block, key);
      else if ((flags & (UruBlockFlag.ENCRYPTED | UruBlockFlag.NO_KEY_UPDATE)) === 0)
        for (let i = 0; i < block.length; i++) key = uruNextKey(key);
      if ((flags & UruBlockFlag.NOT_PRESENT) === 0) line += n;
    }
    return f;
  }
}
