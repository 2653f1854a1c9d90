import { describe, expect, it } from 'vitest';
import { fromHex, hex } from '../../../../protocols/iso7816/bytes.ts';
import { exchange, ResponseTooShortError } from '../../../../protocols/iso7816/exchange.ts';
import { isSuccess, swName } from '../../../../protocols/iso7816/status-words.ts';

/** Drives the generator against a list of canned raw responses; records what it sent. */
function drive(apdu: string, responses: string[], opts = {}) {
  const sent: string[] = [];
  const g = exchange(fromHex(apdu), opts);
  let r = g.next();
  let i = 0;
  while (!r.done) {
    sent.push(hex(r.value));
    r = g.next(fromHex(responses[i++]));
  }
  return { sent, result: r.value };
}

describe('61xx and 6Cxx', () => {
  it('passes a plain 9000 through with one APDU', () => {
    const { sent, result } = drive('00B0000004', ['010203049000']);
    expect(sent).toEqual(['00b0000004']);
    expect(hex(result.data)).toBe('01020304');
  });

  it('collects 61xx chains with GET RESPONSE', () => {
    const { sent, result } = drive('00A4040002A000', ['6104', 'AABBCCDD6102', 'EEFF9000']);
    expect(sent).toEqual(['00a4040002a000', '00c0000004', '00c0000002']);
    expect(hex(result.data)).toBe('aabbccddeeff');
    expect(result.sw).toBe(0x9000);
  });

  it('re-sends once with Le = xx on 6Cxx, keeping the command', () => {
    const { sent, result } = drive('00DD000000', ['6C08', '01020304050607089000']);
    expect(sent).toEqual(['00dd000000', '00dd000008']);
    expect(result.data).toHaveLength(8);
  });

  it('does not re-send when told not to (secure messaging)', () => {
    const { sent, result } = drive('0CB0000000', ['6C08'], { resendOnWrongLe: false });
    expect(sent).toHaveLength(1);
    expect(result.sw).toBe(0x6c08);
  });

  it('treats a short response as removal', () => {
    expect(() => drive('00B0000004', [''])).toThrow(ResponseTooShortError);
  });
});

describe('status words', () => {
  it('names', () => {
    expect(swName(0x9000)).toBe('ok');
    expect(swName(0x63c2)).toBe('verification failed, 2 tries left');
    expect(swName(0x6110)).toBe('16 more bytes available (GET RESPONSE)');
    expect(swName(0x6988)).toMatch(/secure messaging/);
    expect(isSuccess(0x6282)).toBe(true);
    expect(isSuccess(0x6300)).toBe(false);
  });
});
