/**
 * The vpcd link against a fake vpcd (a net.createServer playing pcscd's side of the framing): the
 * real pcscd integration tests live in test/integration.
 */
import { type AddressInfo, createServer, type Server, Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromHex, hex } from '../../../../protocols/iso7816/bytes.ts';
import type { SimulatedDevice } from '../../../../simulator/ektp/device.ts';
import { withPullAfter } from '../../../../simulator/ektp/pull-after.ts';
import { encodeFrame, FrameDecoder } from '../../../../simulator/vpcd/framing.ts';
import { VPCD_BASE_PORT, VpcdLink } from '../../../../simulator/vpcd/link.ts';

/** A device that records calls and echoes APDUs back with 90 00. */
function echoDevice() {
  const calls: string[] = [];
  const device: SimulatedDevice = {
    atr: fromHex('3B80800101'),
    powerOn: () => calls.push('powerOn'),
    reset: () => calls.push('reset'),
    transmit: (apdu) => {
      calls.push(`apdu ${hex(apdu)}`);
      return new Uint8Array([...apdu, 0x90, 0x00]);
    },
  };
  return { device, calls };
}

/** pcscd's side: accepts one card connection and lets the test send frames and await replies. */
class FakeVpcd {
  server: Server;
  socket: Socket | undefined;
  private replies: Uint8Array[] = [];
  private waiters: Array<(r: Uint8Array) => void> = [];
  closed = false;
  rawReplies: Uint8Array[] = [];

  constructor() {
    this.server = createServer((s) => {
      this.socket = s;
      s.on('data', (chunk) => {
        // Replies are decoded by hand: a zero-length frame is meaningful here (removal).
        let buf = new Uint8Array(chunk);
        while (buf.length >= 2) {
          const n = (buf[0] << 8) | buf[1];
          const payload = buf.slice(2, 2 + n);
          buf = buf.slice(2 + n);
          this.rawReplies.push(payload);
          const w = this.waiters.shift();
          if (w) w(payload);
          else this.replies.push(payload);
        }
      });
      s.on('close', () => {
        this.closed = true;
      });
    });
  }
  listen(): Promise<number> {
    return new Promise((r) =>
      this.server.listen(0, '127.0.0.1', () => r((this.server.address() as AddressInfo).port)),
    );
  }
  connected(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.socket ? resolve() : setTimeout(check, 5));
      check();
    });
  }
  send(payload: Uint8Array, byteByByte = false): void {
    const frame = encodeFrame(payload);
    if (!byteByByte) this.socket!.write(frame);
    else for (const b of frame) this.socket!.write(Uint8Array.of(b));
  }
  reply(): Promise<Uint8Array> {
    const r = this.replies.shift();
    if (r) return Promise.resolve(r);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  closedPromise(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.closed ? resolve() : setTimeout(check, 5));
      check();
    });
  }
  close(): Promise<void> {
    this.socket?.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

let fake: FakeVpcd | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('frame decoder', () => {
  it('decodes control and APDU frames fed whole, byte by byte and with a trailing partial frame', () => {
    const stream = new Uint8Array([
      ...encodeFrame(Uint8Array.of(4)),
      ...encodeFrame(fromHex('00A40000027F0A')),
      0x00,
    ]);
    const whole = new FrameDecoder().push(stream);
    expect(whole).toEqual([
      { kind: 'control', code: 4 },
      { kind: 'apdu', apdu: fromHex('00A40000027F0A') },
    ]);
    const d = new FrameDecoder();
    const bytewise = [...stream].flatMap((b) => d.push(Uint8Array.of(b)));
    expect(bytewise).toEqual(whole);
    expect(d.pending).toBe(1);
  });
});

describe('VpcdLink', () => {
  it('defaults to 127.0.0.1 and the slot ports 35963/35964', () => {
    const { device } = echoDevice();
    expect(new VpcdLink({ device }).port).toBe(VPCD_BASE_PORT);
    expect(new VpcdLink({ device, slot: 1 }).port).toBe(35964);
    expect(new VpcdLink({ device }).host).toBe('127.0.0.1');
  });

  it('answers GET ATR, powers on and resets, answers APDUs (also sent byte by byte), with TCP_NODELAY', async () => {
    fake = new FakeVpcd();
    const port = await fake.listen();
    const { device, calls } = echoDevice();
    const noDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    const link = new VpcdLink({ device, port });
    await link.insert();
    expect(noDelay).toHaveBeenCalledWith(true);
    noDelay.mockRestore();
    await fake.connected();
    expect(link.inserted).toBe(true);
    fake.send(Uint8Array.of(0x04));
    expect(hex(await fake.reply())).toBe('3b80800101');
    fake.send(Uint8Array.of(0x01));
    fake.send(Uint8Array.of(0x02));
    fake.send(fromHex('00B0000004'), true);
    expect(hex(await fake.reply())).toBe('00b00000049000');
    expect(calls).toEqual(['powerOn', 'reset', 'apdu 00b0000004']);
    expect(link.apduCount).toBe(1);
    await link.remove();
    await fake.closedPromise();
    expect(link.inserted).toBe(false);
  });

  it('can be re-inserted after removal (a new connection)', async () => {
    fake = new FakeVpcd();
    const port = await fake.listen();
    const { device } = echoDevice();
    const link = new VpcdLink({ device, port });
    const events: string[] = [];
    link.on('inserted', () => events.push('inserted'));
    link.on('removed', (why) => events.push(`removed:${why}`));
    await link.insert();
    await link.remove();
    await link.insert();
    await fake.connected();
    expect(events).toEqual(['inserted', 'removed:remove', 'inserted']);
    await link.remove();
  });

  it('pullAfter(n): answers n APDUs, then a zero-length reply and a closed connection', async () => {
    fake = new FakeVpcd();
    const port = await fake.listen();
    const { device } = echoDevice();
    const link = new VpcdLink({ device, port });
    const removed = new Promise<string>((r) => link.once('removed', r));
    await link.insert();
    await fake.connected();
    link.pullAfter(2);
    for (let i = 0; i < 2; i++) {
      fake.send(fromHex('00B0000001'));
      expect((await fake.reply()).length).toBe(7);
    }
    fake.send(fromHex('00B0000001'));
    expect((await fake.reply()).length).toBe(0);
    expect(await removed).toBe('pull');
    await fake.closedPromise();
  });

  it('a device wrapped by withPullAfter is pulled the same way', async () => {
    fake = new FakeVpcd();
    const port = await fake.listen();
    const { device } = echoDevice();
    let pulled = 0;
    const link = new VpcdLink({ device: withPullAfter(device, 1, () => pulled++), port });
    await link.insert();
    await fake.connected();
    fake.send(fromHex('00B0000001'));
    expect((await fake.reply()).length).toBe(7);
    fake.send(fromHex('00B0000001'));
    expect((await fake.reply()).length).toBe(0);
    await fake.closedPromise();
    expect(pulled).toBe(1);
  });

  it('rejects insert when nothing listens', async () => {
    const probe = createServer();
    const port = await new Promise<number>((r) =>
      probe.listen(0, '127.0.0.1', () => r((probe.address() as AddressInfo).port)),
    );
    await new Promise<void>((r) => probe.close(() => r()));
    const { device } = echoDevice();
    await expect(new VpcdLink({ device, port }).insert()).rejects.toThrow();
  });
});
