import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, hex } from '../../../protocols/sensors/bytes.ts';
import {
  encodeGt521Command,
  encodeGt521Data,
  encodeGt521DeviceInfo,
  encodeGt521Response,
  GT521_ACK,
  GT521_NACK,
  Gt521Command,
  Gt521Error,
  type Gt521ReadEvent,
  Gt521Reader,
  gt521ErrorText,
  parseGt521DeviceInfo,
} from '../../../protocols/sensors/gt521.ts';
import { feedings } from './feed.ts';

function readAll(reader: Gt521Reader, chunks: Uint8Array[]): Gt521ReadEvent[] {
  const events: Gt521ReadEvent[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let e = reader.next(); e; e = reader.next()) events.push(e);
  }
  return events;
}

/** Vectors worked by hand from the datasheet's packet layout (device id 1); Open(0) = 55 AA 01 00 ... 01 01 is the datasheet's own example. */
const PACKETS = [
  { name: 'Open(0)', bytes: '55aa0100000000000100 0101', param: 0, code: 0x01 },
  { name: 'CmosLed(1)', bytes: '55aa0100010000001200 1301', param: 1, code: 0x12 },
  { name: 'ChangeBaudRate(115200)', bytes: '55aa0100 00c20100 0400 c701', param: 115200, code: 0x04 },
  { name: 'ACK(0)', bytes: '55aa0100000000003000 3001', param: 0, code: GT521_ACK },
  { name: 'NACK(finger not pressed)', bytes: '55aa0100121000003100 5301', param: 0x1012, code: GT521_NACK },
];

describe('GT-521 packet codec', () => {
  it('encodes the vectors', () => {
    expect(hex(encodeGt521Command(Gt521Command.OPEN, 0))).toBe('55aa010000000000010001 01'.replace(/ /g, ''));
    expect(hex(encodeGt521Command(Gt521Command.CMOS_LED, 1))).toBe('55aa01000100000012001301');
    expect(hex(encodeGt521Command(Gt521Command.CHANGE_BAUD_RATE, 115200))).toBe(
      '55aa010000c2010004 00c701'.replace(/ /g, ''),
    );
    expect(hex(encodeGt521Response(true))).toBe('55aa01000000000030003001');
    expect(hex(encodeGt521Response(false, Gt521Error.FINGER_IS_NOT_PRESSED))).toBe(
      '55aa01001210000031005301',
    );
  });

  for (const v of PACKETS) {
    for (const feed of feedings(fromHex(v.bytes), fromHex('55aa01'))) {
      it(`reads ${v.name} fed ${feed.name}`, () => {
        const reader = new Gt521Reader();
        const events = readAll(reader, feed.chunks);
        expect(events).toEqual([{ kind: 'packet', packet: { deviceId: 1, param: v.param, code: v.code } }]);
        expect(reader.buffered).toBe(feed.trailing.length);
      });
    }
  }

  const data = Uint8Array.from({ length: 24 }, (_, i) => i * 7);
  for (const feed of feedings(concat(encodeGt521Response(true), encodeGt521Data(data)), fromHex('55'))) {
    it(`reads an ACK followed by its data packet fed ${feed.name}`, () => {
      const reader = new Gt521Reader();
      reader.expectData(24);
      const events = readAll(reader, feed.chunks);
      expect(events.map((e) => e.kind)).toEqual(['packet', 'data']);
      const dataEvent = events[1];
      expect(dataEvent.kind === 'data' && Array.from(dataEvent.data)).toEqual(Array.from(data));
      expect(reader.buffered).toBe(feed.trailing.length);
    });
  }

  it('ignores a data header that was not announced', () => {
    const reader = new Gt521Reader();
    const events = readAll(reader, [encodeGt521Data(Uint8Array.of(1, 2, 3)), encodeGt521Response(true)]);
    expect(events.map((e) => e.kind)).toEqual(['packet']);
    expect(reader.discarded).toBe(9);
  });

  it('reports a bad checksum on a response and on a data packet', () => {
    const reader = new Gt521Reader();
    const response = encodeGt521Response(true);
    response[11] ^= 0xff;
    const dataPacket = encodeGt521Data(Uint8Array.of(9, 9, 9));
    dataPacket[5] ^= 0x01;
    reader.push(response);
    expect(reader.next()).toMatchObject({ kind: 'checksum-error', what: 'packet', expected: 0x130 });
    reader.expectData(3);
    reader.push(dataPacket);
    expect(reader.next()).toMatchObject({ kind: 'checksum-error', what: 'data' });
    reader.push(encodeGt521Response(false, 0x1001));
    expect(reader.next()).toEqual({
      kind: 'packet',
      packet: { deviceId: 1, param: 0x1001, code: GT521_NACK },
    });
  });

  it('round-trips any command in any chunking', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 1, max: 11 }),
        (code, param, cut) => {
          const bytes = encodeGt521Command(code, param);
          const reader = new Gt521Reader();
          const events = readAll(reader, [bytes.subarray(0, cut), bytes.subarray(cut)]);
          expect(events).toEqual([{ kind: 'packet', packet: { deviceId: 1, param, code } }]);
        },
      ),
    );
  });

  it('names NACK errors', () => {
    expect(gt521ErrorText(0x1012)).toBe('finger is not pressed');
    expect(gt521ErrorText(0x1002)).toBe('invalid baud rate');
    expect(gt521ErrorText(0x2000)).toBe('unknown error 0x2000');
  });

  it('round-trips the Open device information', () => {
    const info = {
      firmwareVersion: 0x20150105,
      isoAreaMaxSize: 0x3c00,
      serialNumber: Uint8Array.from({ length: 16 }, (_, i) => i),
    };
    const parsed = parseGt521DeviceInfo(encodeGt521DeviceInfo(info));
    expect(parsed.firmwareVersion).toBe(info.firmwareVersion);
    expect(parsed.isoAreaMaxSize).toBe(info.isoAreaMaxSize);
    expect(Array.from(parsed.serialNumber)).toEqual(Array.from(info.serialNumber));
  });
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
