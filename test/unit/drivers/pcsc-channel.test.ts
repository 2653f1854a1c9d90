import { describe, expect, it } from 'vitest';
import { PcscChannel } from '../../../drivers/pcsc/pcsc-channel.ts';
import type { BridgeError } from '../../../protocols/errors.ts';

function fakeReader(reply: (cb: (err: unknown, res: Buffer) => void) => void) {
  return {
    transmit: (_d: Buffer, _l: number, _p: number, cb: (err: unknown, res: Buffer) => void) => reply(cb),
    control: () => {},
    disconnect: (_d: number, cb: (err: unknown) => void) => cb(null),
    SCARD_LEAVE_CARD: 0,
    SCARD_CTL_CODE: (c: number) => c,
  };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return (e as BridgeError).code;
  }
}

describe('PC/SC channel', () => {
  it('treats a response shorter than a status word as card removal, and stays closed', async () => {
    const ch = new PcscChannel(
      fakeReader((cb) => cb(null, Buffer.alloc(0))),
      'R',
      2,
      new Uint8Array(),
      () => true,
    );
    expect(await codeOf(ch.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0)))).toBe('CARD_REMOVED');
    expect(ch.isOpen).toBe(false);
    expect(await codeOf(ch.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0)))).toBe('CARD_REMOVED');
  });

  it('maps PC/SC removal errors to CARD_REMOVED and other failures to INTERNAL', async () => {
    const removed = new PcscChannel(
      fakeReader((cb) =>
        cb(new Error('SCardTransmit error: Transaction failed.(0x80100016)'), Buffer.alloc(0)),
      ),
      'R',
      2,
      new Uint8Array(),
      () => true,
    );
    expect(await codeOf(removed.transmit(Uint8Array.of(0, 0, 0, 0)))).toBe('CARD_REMOVED');
    const other = new PcscChannel(
      fakeReader((cb) => cb(new Error('weird (0x80100001)'), Buffer.alloc(0))),
      'R',
      2,
      new Uint8Array(),
      () => true,
    );
    expect(await codeOf(other.transmit(Uint8Array.of(0, 0, 0, 0)))).toBe('INTERNAL');
    const gone = new PcscChannel(
      fakeReader((cb) => cb(new Error('weird (0x80100001)'), Buffer.alloc(0))),
      'R',
      2,
      new Uint8Array(),
      () => false,
    );
    expect(await codeOf(gone.transmit(Uint8Array.of(0, 0, 0, 0)))).toBe('CARD_REMOVED');
  });

  it('serialises sequences with its transaction lock', async () => {
    const ch = new PcscChannel(
      fakeReader((cb) => cb(null, Buffer.from([0x90, 0]))),
      'R',
      2,
      new Uint8Array(),
      () => true,
    );
    const order: string[] = [];
    await ch.beginTransaction();
    const second = ch.beginTransaction().then(() => order.push('second'));
    await new Promise((r) => setTimeout(r, 10));
    order.push('first-done');
    await ch.endTransaction();
    await second;
    await ch.endTransaction();
    expect(order).toEqual(['first-done', 'second']);
  });
});
