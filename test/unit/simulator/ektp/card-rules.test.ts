/** Profile v1 §3, §6, §7 and §11 rules of the simulated card, APDU by APDU. */
import { describe, expect, it } from 'vitest';
import { SimulatedCard } from '../../../../simulator/ektp/card.ts';
import { keys, rawHex, resident, session } from './helpers.ts';

function fresh(): SimulatedCard {
  const c = new SimulatedCard({ resident, masterKey: keys.masterKey });
  c.powerOn();
  return c;
}

describe('simulated card: plain commands', () => {
  it('GET UID is answered (as the reader would), GET CHIP SERIAL needs Le 08 or 00', () => {
    const c = fresh();
    expect(rawHex(c, 'FFCA000000')).toMatch(/^04[0-9A-F]{12}9000$/);
    expect(rawHex(c, '00DD000008')).toHaveLength(20);
    expect(rawHex(c, '00DD000000')).toHaveLength(20);
    expect(rawHex(c, '00DD000004')).toBe('6700');
    expect(rawHex(c, '00DD0000')).toBe('6700');
  });

  it('SELECT of an EF before SELECT DF is 6A 82; unknown FIDs too; bad P1P2 6A 86', () => {
    const c = fresh();
    expect(rawHex(c, '00A40000026FF0')).toBe('6A82');
    expect(rawHex(c, '00A40000027F0A')).toBe('9000');
    expect(rawHex(c, '00A40000026FF0')).toBe('9000');
    expect(rawHex(c, '00A40000026FFF')).toBe('6A82');
    expect(rawHex(c, '00A40400027F0A')).toBe('6A86');
  });

  it('READ BINARY: 62 82 at the end, 6B 00 past it, 69 82 on protected files, SFI refused', () => {
    const c = fresh();
    rawHex(c, '00A40000027F0A');
    rawHex(c, '00A40000026FF0');
    const all = rawHex(c, '00B0000000');
    expect(all.endsWith('6282')).toBe(true);
    const size = (all.length - 4) / 2;
    expect([31, 53]).toContain(size);
    expect(rawHex(c, `00B000${size.toString(16).padStart(2, '0')}01`)).toBe('6B00');
    expect(rawHex(c, '00B0000002').endsWith('9000')).toBe(true);
    expect(rawHex(c, '00B0810002')).toBe('6A86');
    rawHex(c, '00A40000026FF1');
    expect(rawHex(c, '00B0000010')).toBe('6982');
  });

  it('GET CHALLENGE needs Le 08; EXTERNAL AUTHENTICATE without a challenge is 69 85, a bad one 63 00', () => {
    const c = fresh();
    expect(rawHex(c, '0084000004')).toBe('6700');
    expect(rawHex(c, `0082000028${'00'.repeat(40)}`)).toBe('6985');
    expect(rawHex(c, '0084000008')).toMatch(/^[0-9A-F]{16}9000$/);
    expect(rawHex(c, `0082000028${'00'.repeat(40)}`)).toBe('6300');
    // The challenge was used up by that attempt.
    expect(rawHex(c, `0082000028${'00'.repeat(40)}`)).toBe('6985');
  });

  it('short APDUs only; unknown INS 6D 00; unknown CLA 6E 00; no session: protected command 69 88', () => {
    const c = fresh();
    expect(rawHex(c, '00B00000000100')).toBe('6700');
    expect(rawHex(c, '00CA000000')).toBe('6D00');
    expect(rawHex(c, '80A40000027F0A')).toBe('6E00');
    expect(rawHex(c, '0CB000000D970100' + '8E080000000000000000' + '00')).toBe('6988');
  });
});

describe('simulated card: secure messaging (§7, §11)', () => {
  it('reads protected files inside the session; the counter moves on both sides', () => {
    const { prot, card } = session();
    expect(prot('00A40000026FF1')).toBe('9000');
    const r = prot('00B00000E0');
    const file = card.files.files.BIODATA;
    expect(r.slice(0, 8)).toBe(Buffer.from(file.slice(0, 4)).toString('hex').toUpperCase());
  });

  it('errors inside SM come back wrapped and the session goes on (6B 00 past the end)', () => {
    const { prot, card } = session();
    prot('00A40000026FF6'); // EF.DS, 66 bytes
    expect(prot('00B0010008')).toBe('6B00');
    expect(prot('00B0000008').endsWith('9000')).toBe(true);
    expect(card.inSession).toBe(true);
  });

  it('protected READ over E0 or not a multiple of 8 (except the last chunk) is 67 00 inside SM', () => {
    const { prot } = session();
    prot('00A40000026FF6');
    expect(prot('00B00000E8')).toBe('6700');
    expect(prot('00B0000007')).toBe('6700');
    expect(prot('00B000380A').endsWith('9000')).toBe(true); // offset 56 + 10 is exactly the end (66 bytes)
    expect(prot('00B0003812').endsWith('6282')).toBe(true); // a last chunk may ask for more than is left
    expect(prot('00B000000A')).toBe('6700');
  });

  it('during a session a plain SELECT of a protected EF is allowed, a plain READ gets 69 82, the session goes on', () => {
    const { prot, card } = session();
    expect(rawHex(card, '00A40000026FF1')).toBe('9000');
    expect(rawHex(card, '00B0000008')).toBe('6982');
    expect(card.inSession).toBe(true);
    expect(prot('00B0000008').endsWith('9000')).toBe(true);
    // A plain command did not move the counter: the next protected one still verifies.
    expect(prot('00A40000026FF4')).toBe('9000');
  });

  it('GET CHALLENGE and EXTERNAL AUTHENTICATE inside SM get 69 85', () => {
    const { prot } = session();
    expect(prot('0084000008')).toBe('6985');
    expect(prot(`0082000028${'00'.repeat(40)}`)).toBe('6985');
  });

  it('a bad MAC gets 69 88 and ends the session', () => {
    const { card, sam } = session();
    const enc = sam.transmit(
      Uint8Array.from([0x00, 0xf3, 0x00, 0x00, 0x07, 0x00, 0xa4, 0x00, 0x00, 0x02, 0x6f, 0xf1]),
    );
    const apdu = enc.slice(0, -2);
    apdu[apdu.length - 2] ^= 0xff;
    expect(Buffer.from(card.transmit(apdu)).toString('hex')).toBe('6988');
    expect(card.inSession).toBe(false);
  });

  it('any EXTERNAL AUTHENTICATE ends the session; power-on and reset clear it too', () => {
    const a = session();
    rawHex(a.card, `0082000028${'00'.repeat(40)}`);
    expect(a.card.inSession).toBe(false);
    const b = session();
    b.card.reset();
    expect(b.card.inSession).toBe(false);
    // After the reset the DF must be selected again.
    expect(rawHex(b.card, '00A40000026FF0')).toBe('6A82');
    const c = session();
    c.card.powerOn();
    expect(c.card.inSession).toBe(false);
  });
});
