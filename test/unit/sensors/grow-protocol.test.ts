import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, hex } from '../../../protocols/sensors/bytes.ts';
import {
  encodeGrowAck,
  encodeGrowCommand,
  encodeGrowDataPackets,
  encodeGrowPacket,
  encodeGrowSystemParameters,
  GROW_IMAGE_BYTES,
  GrowPacketReader,
  GrowPid,
  GrowUploadAssembler,
  growPacketSizeCode,
  growPacketSizeFromCode,
  growSetSysParam,
  growVerifyPassword,
  packGrowImage,
  parseGrowAck,
  parseGrowSystemParameters,
  unpackGrowImage,
} from '../../../protocols/sensors/grow.ts';
import { feedings } from './feed.ts';

/** Byte vectors for the default address and password; GenImg and the OK acknowledge are the manuals' own examples. */
const VECTORS = [
  { name: 'GenImg', bytes: 'ef01ffffffff010003010005', pid: 0x01, payload: '01' },
  { name: 'UpImage', bytes: 'ef01ffffffff0100030a000e', pid: 0x01, payload: '0a' },
  { name: 'VfyPwd 00000000', bytes: 'ef01ffffffff0100071300000000001b', pid: 0x01, payload: '1300000000' },
  { name: 'ack ok', bytes: 'ef01ffffffff07000300000a', pid: 0x07, payload: '00' },
  { name: 'ack no finger', bytes: 'ef01ffffffff07000302000c', pid: 0x07, payload: '02' },
];

describe('Grow packet codec', () => {
  it('encodes the command vectors', () => {
    expect(hex(encodeGrowCommand(0x01))).toBe('ef01ffffffff010003010005');
    expect(hex(encodeGrowCommand(0x0a))).toBe('ef01ffffffff0100030a000e');
    expect(hex(growVerifyPassword())).toBe('ef01ffffffff0100071300000000001b');
    expect(hex(encodeGrowAck(0x00))).toBe('ef01ffffffff07000300000a');
    expect(hex(growSetSysParam(6, 2))).toBe('ef01ffffffff0100050e0602001c');
  });

  for (const v of VECTORS) {
    const trailing = fromHex('ef01ffff'); // the start of another packet
    for (const feed of feedings(fromHex(v.bytes), trailing)) {
      it(`reads ${v.name} fed ${feed.name}`, () => {
        const reader = new GrowPacketReader();
        const events = [];
        for (const chunk of feed.chunks) {
          reader.push(chunk);
          for (let e = reader.next(); e; e = reader.next()) events.push(e);
        }
        expect(events).toHaveLength(1);
        const [event] = events;
        expect(event.kind).toBe('packet');
        if (event.kind !== 'packet') return;
        expect(event.packet.pid).toBe(v.pid);
        expect(event.packet.address).toBe(0xffffffff);
        expect(hex(event.packet.payload)).toBe(v.payload);
        expect(reader.buffered).toBe(feed.trailing.length);
        expect(reader.discarded).toBe(0);
      });
    }
  }

  it('reports a bad checksum, consumes the packet and stays in step', () => {
    const bad = fromHex('ef01ffffffff07000300000b');
    const good = encodeGrowAck(0x02);
    const reader = new GrowPacketReader();
    reader.push(bad);
    reader.push(good);
    expect(reader.next()).toEqual({ kind: 'checksum-error', pid: 7, expected: 0x0a, received: 0x0b });
    const next = reader.next();
    expect(next?.kind === 'packet' && parseGrowAck(next.packet).code).toBe(0x02);
    expect(reader.next()).toBeNull();
  });

  it('skips line noise and false headers before a packet', () => {
    const reader = new GrowPacketReader();
    reader.push(fromHex('00 ff ef 00 ef 01 ff ff ff ff 55 00 00')); // EF 01 with an impossible PID
    reader.push(encodeGrowAck(0x00));
    const event = reader.next();
    expect(event?.kind).toBe('packet');
    expect(reader.discarded).toBe(13);
  });

  it('round-trips any packet through the reader, in any chunking', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 7, 8),
        fc.uint8Array({ minLength: 0, maxLength: 256 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        (pid, payload, address, cuts) => {
          const bytes = encodeGrowPacket(pid, payload, address);
          const reader = new GrowPacketReader();
          let offset = 0;
          let event = null;
          for (const cut of [...cuts, bytes.length]) {
            reader.push(bytes.subarray(offset, offset + cut));
            offset = Math.min(bytes.length, offset + cut);
            event = reader.next() ?? event;
            if (offset >= bytes.length) break;
          }
          if (offset < bytes.length) reader.push(bytes.subarray(offset));
          event = event ?? reader.next();
          expect(event?.kind).toBe('packet');
          if (event?.kind !== 'packet') return;
          expect(event.packet.pid).toBe(pid);
          expect(event.packet.address).toBe(address);
          expect(Array.from(event.packet.payload)).toEqual(Array.from(payload));
        },
      ),
    );
  });
});

describe('Grow image format', () => {
  it('unpacks high nibble first, n -> n x 17', () => {
    expect(Array.from(unpackGrowImage(Uint8Array.of(0x0f, 0xf0, 0x58), 6, 1))).toEqual([
      0, 255, 255, 0, 85, 136,
    ]);
  });

  it('refuses an upload of the wrong size', () => {
    expect(() => unpackGrowImage(new Uint8Array(10))).toThrow(/expected 36864/);
  });

  it('packs to the nearest nibble and unpacks back', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 2, maxLength: 64 }).filter((a) => a.length % 2 === 0),
        (pixels) => {
          const back = unpackGrowImage(packGrowImage(pixels), pixels.length, 1);
          for (let i = 0; i < pixels.length; i++)
            expect(Math.abs(back[i] - pixels[i])).toBeLessThanOrEqual(8);
        },
      ),
    );
  });

  it('splits an upload into data packets, the last one marked 08, and assembles it', () => {
    const data = new Uint8Array(GROW_IMAGE_BYTES).map((_, i) => i & 0xff);
    for (const size of [32, 64, 128, 256] as const) {
      const packets = encodeGrowDataPackets(data, size);
      expect(packets).toHaveLength(GROW_IMAGE_BYTES / size);
      const reader = new GrowPacketReader();
      const assembler = new GrowUploadAssembler();
      let done = false;
      for (const p of packets) {
        reader.push(p);
        const e = reader.next();
        if (e?.kind !== 'packet') throw new Error('expected a packet');
        expect(e.packet.pid).toBe(p === packets.at(-1) ? GrowPid.END_DATA : GrowPid.DATA);
        done = assembler.accept(e.packet);
      }
      expect(done).toBe(true);
      expect(assembler.bytes()).toEqual(data);
    }
  });

  it('refuses more data than an image holds', () => {
    const assembler = new GrowUploadAssembler(100);
    expect(() => assembler.accept({ address: 0, pid: GrowPid.DATA, payload: new Uint8Array(128) })).toThrow(
      /exceeds 100/,
    );
  });
});

describe('Grow system parameters', () => {
  it('maps packet size codes 0..3 to 32..256 and back', () => {
    expect([0, 1, 2, 3].map(growPacketSizeFromCode)).toEqual([32, 64, 128, 256]);
    expect(([32, 64, 128, 256] as const).map(growPacketSizeCode)).toEqual([0, 1, 2, 3]);
    expect(() => growPacketSizeFromCode(4)).toThrow(RangeError);
  });

  it('round-trips ReadSysPara data', () => {
    const p = {
      statusRegister: 0,
      systemId: 9,
      librarySize: 1000,
      securityLevel: 3,
      address: 0xffffffff,
      packetSize: 128 as const,
      baudMultiplier: 6,
    };
    const bytes = encodeGrowSystemParameters(p);
    expect(hex(bytes)).toBe('0000000903e80003ffffffff00020006');
    expect(parseGrowSystemParameters(bytes)).toEqual(p);
  });
});
