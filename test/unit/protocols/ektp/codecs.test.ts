import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveCardKeys } from '../../../../protocols/crypto/kdf.ts';
import { desSmCipher } from '../../../../protocols/crypto/sm-cipher.ts';
import { openCryptogram, openSession, sealCryptogram } from '../../../../protocols/ektp/auth-crypto.ts';
import { type Biodata, decodeBiodata, encodeBiodata } from '../../../../protocols/ektp/biodata.ts';
import * as cmd from '../../../../protocols/ektp/commands.ts';
import { cardDateToIso, isoToCardDate } from '../../../../protocols/ektp/dates.ts';
import { announcedFileSize, frameFile, unframeFile } from '../../../../protocols/ektp/files.ts';
import { formatNik, isNikConsistent, nikProblems, parseNik } from '../../../../protocols/ektp/nik.ts';
import { isBridgeError } from '../../../../protocols/errors.ts';
import { fromHex, hex } from '../../../../protocols/iso7816/bytes.ts';
import { wrapCommand } from '../../../../protocols/iso7816/secure-messaging.ts';
import { encodeTlv } from '../../../../protocols/iso7816/tlv.ts';

const H = (s: string) => hex(fromHex(s));

describe('command builders give the bytes of §3 and §4', () => {
  it.each([
    ['GET UID', cmd.cardGetUid(), 'FF CA 00 00 00'],
    ['GET CHIP SERIAL', cmd.cardGetChipSerial(), '00 DD 00 00 08'],
    ['SELECT DF', cmd.cardSelect(0x7f0a), '00 A4 00 00 02 7F 0A'],
    ['SELECT EF.BIODATA', cmd.cardSelect(0x6ff1), '00 A4 00 00 02 6F F1'],
    ['READ BINARY', cmd.cardReadBinary(0x1234, 0xe0), '00 B0 12 34 E0'],
    ['READ BINARY 256', cmd.cardReadBinary(0, 256), '00 B0 00 00 00'],
    ['GET CHALLENGE', cmd.cardGetChallenge(), '00 84 00 00 08'],
    ['GET SAM UID', cmd.samGetUid(), '00 F7 00 00 00'],
    ['RESET SAM', cmd.samReset(), '00 FF 00 00 00'],
    ['VERIFY START', cmd.samVerifyStart(), '00 FA 00 00 00'],
    ['VERIFY STOP', cmd.samVerifyStop(), '00 FA 02 00 00'],
    ['VERIFY DOCUMENT', cmd.samVerifyDocument(), '00 FA 04 00 00'],
    ['VERIFY FEED', cmd.samVerifyFeed(fromHex('0102')), '00 FA 03 00 02 01 02'],
    ['SOCKET 2', cmd.samSocketSelect(2), '68 92 01 00 03 02 00 00'],
  ])('%s', (_, bytes, want) => {
    expect(hex(bytes)).toBe(H(want));
  });

  it('EXTERNAL AUTHENTICATE, INTERNAL AUTH, OPEN SAM and VERIFY SIGNATURE carry their data', () => {
    const c40 = new Uint8Array(40).fill(0xab);
    expect(hex(cmd.cardExternalAuthenticate(c40))).toBe(`0082000028${'ab'.repeat(40)}`);
    expect(hex(cmd.samInternalAuth(c40))).toBe(`00f2000028${'ab'.repeat(40)}`);
    expect(hex(cmd.samOpen(new Uint8Array(32)))).toBe(`00f0000020${'00'.repeat(32)}`);
    expect(hex(cmd.samVerifySignature(new Uint8Array(64)))).toBe(`00fa060040${'00'.repeat(64)}`);
    expect(() => cmd.cardExternalAuthenticate(new Uint8Array(39))).toThrow(RangeError);
    expect(() => cmd.cardReadBinary(0x8000, 1)).toThrow(RangeError);
  });

  it('CALC CHALLENGE: P2 = 00 for a 29-byte CC, 01 for 51', () => {
    const csn = fromHex('0102030405060708');
    const rnd = fromHex('1112131415161718');
    const short = cmd.samCalcChallenge(new Uint8Array(29), csn, rnd);
    expect(hex(short.slice(0, 5))).toBe('00f100002d');
    expect(hex(short.slice(5 + 29))).toBe(hex(csn) + hex(rnd));
    expect(hex(cmd.samCalcChallenge(new Uint8Array(51), csn, rnd).slice(0, 5))).toBe('00f1000143');
    expect(() => cmd.samCalcChallenge(new Uint8Array(30), csn, rnd)).toThrow(RangeError);
  });

  it('a whole photo goes in one extended VERIFY FEED', () => {
    const feed = cmd.samVerifyFeed(new Uint8Array(16000));
    expect(hex(feed.slice(0, 7))).toBe('00fa030000' + '3e80');
    expect(feed.length).toBe(7 + 16000);
  });

  it('OPEN SAM block = (PCID ⊕ CONF[0..16]) || (PCID ⊕ CONF[16..32]) with the spec test keys', () => {
    const pcid = fromHex('ac2349aa252d4ae479913ec6e68d2494');
    const conf = fromHex('466f11be3ea9f8fbce0869ebabdddf1657afead5bfdc399bfe9752ce13f1ba1e');
    const b = cmd.openSamBlock(pcid, conf);
    expect(hex(b.slice(0, 4))).toBe(hex(Uint8Array.of(0xac ^ 0x46, 0x23 ^ 0x6f, 0x49 ^ 0x11, 0xaa ^ 0xbe)));
    expect(hex(b.slice(16, 18))).toBe(hex(Uint8Array.of(0xac ^ 0x57, 0x23 ^ 0xaf)));
    expect(b).toHaveLength(32);
  });
});

describe('files', () => {
  it('frames and unframes with the 2-byte length', () => {
    expect(hex(frameFile(fromHex('aabbcc')))).toBe('0003aabbcc');
    expect(announcedFileSize(fromHex('0100'))).toBe(258);
    expect(hex(unframeFile(fromHex('0002abcd')))).toBe('abcd');
    expect(() => unframeFile(fromHex('0003abcd'))).toThrow(RangeError);
  });
});

describe('authentication cryptograms and session (§6)', () => {
  const keys = deriveCardKeys(new Uint8Array(32).fill(1), fromHex('0102030405060708'), new Uint8Array(29));
  it('seal/open round trip; a flipped bit is refused', () => {
    const plain = new Uint8Array(32).map((_, i) => i);
    const c = sealCryptogram(keys, plain);
    expect(c).toHaveLength(40);
    expect(hex(openCryptogram(keys, c)!)).toBe(hex(plain));
    const bad = c.slice();
    bad[3] ^= 0x10;
    expect(openCryptogram(keys, bad)).toBeUndefined();
    expect(openCryptogram(keys, c.slice(0, 39))).toBeUndefined();
  });
  it('session counter is RND.IC[4..8] || RND.IFD[4..8] (as ICAO 9303-11 Appendix D)', () => {
    const s = openSession(
      new Uint8Array(16),
      new Uint8Array(16),
      fromHex('4608F91988702212'),
      fromHex('781723860C06C226'),
    );
    expect(s.ssc.toString(16)).toBe('887022120c06c226');
    expect(s.keys.kEnc).toHaveLength(24);
    // The session keys drive the same SM code as the ICAO vectors.
    expect(() =>
      wrapCommand(desSmCipher(s.keys.kEnc, s.keys.kMac), s.ssc, fromHex('00A40000026FF1')),
    ).not.toThrow();
  });
});

const SAMPLE: Biodata = {
  nik: '3171016505900001',
  nama: 'SITI AMINAH',
  tempatLahir: 'JAKARTA',
  tanggalLahir: '1990-05-25',
  jenisKelamin: 'PEREMPUAN',
  golonganDarah: 'O',
  alamat: 'JL. MERDEKA NO. 10',
  rt: '001',
  rw: '002',
  kelurahan: 'TEBET BARAT',
  kecamatan: 'TEBET',
  kabupaten: 'JAKARTA SELATAN',
  provinsi: 'DKI JAKARTA',
  agama: 'ISLAM',
  statusPerkawinan: 'KAWIN',
  pekerjaan: 'KARYAWAN SWASTA',
  kewarganegaraan: 'WNI',
  berlakuHingga: 'SEUMUR HIDUP',
  tanggalTerbit: '2018-03-12',
};

describe('biodata (§9)', () => {
  it('encodes tags 80.. in order with DD-MM-YYYY dates and decodes back to ISO', () => {
    const bytes = encodeBiodata(SAMPLE);
    expect(hex(bytes.slice(0, 18))).toBe(hex(encodeTlv(0x80, new TextEncoder().encode(SAMPLE.nik))));
    expect(new TextDecoder().decode(bytes)).toContain('25-05-1990');
    expect(decodeBiodata(bytes)).toEqual(SAMPLE);
  });

  it('skips unknown tags and accepts a missing optional tag', () => {
    const { golonganDarah: _, tanggalTerbit: __, ...noOptional } = SAMPLE;
    const bytes = encodeBiodata(noOptional, [
      { tag: 0x9f, value: fromHex('0102') },
      { tag: 0x5f20, value: fromHex('00') },
    ]);
    expect(decodeBiodata(bytes)).toEqual(noOptional);
  });

  it('a validity date is converted, SEUMUR HIDUP is kept', () => {
    const b = { ...SAMPLE, berlakuHingga: '2017-05-25' };
    expect(decodeBiodata(encodeBiodata(b)).berlakuHingga).toBe('2017-05-25');
  });

  it('a missing mandatory tag, bad TLV, bad date or bad NIK is CARD_DATA_INVALID (detail names the tag only)', () => {
    const full = encodeBiodata(SAMPLE);
    const cases: Uint8Array[] = [
      full.slice(0, full.length - 3), // truncated TLV
      fromHex('8003313233'), // only a (short) NIK
      encodeBiodata({ ...SAMPLE, nik: '31710165059000' }),
    ];
    const badDate = new TextDecoder().decode(full).replace('25-05-1990', '31-02-1990');
    cases.push(new TextEncoder().encode(badDate));
    for (const c of cases) {
      let err: unknown;
      try {
        decodeBiodata(c);
      } catch (e) {
        err = e;
      }
      expect(isBridgeError(err, 'CARD_DATA_INVALID')).toBe(true);
      expect(JSON.stringify((err as { detail?: unknown }).detail)).not.toContain('SITI');
    }
    // Without tag 81 (nama): every value here is shorter than 128 bytes, so lengths are one byte.
    const parts: Uint8Array[] = [];
    for (let i = 0; i < full.length; i += 2 + full[i + 1]) {
      if (full[i] !== 0x81) parts.push(full.slice(i, i + 2 + full[i + 1]));
    }
    const noNama = Uint8Array.from(parts.flatMap((p) => [...p]));
    expect(() => decodeBiodata(noNama)).toThrow(/missing mandatory tag/);
  });

  it('round trips random text values (property)', () => {
    const text = fc.stringMatching(/^[A-Z0-9 .,/'-]{1,60}$/).map((s) => s.trim() || 'X');
    fc.assert(
      fc.property(text, text, text, (nama, alamat, kelurahan) => {
        const b = { ...SAMPLE, nama, alamat, kelurahan };
        expect(decodeBiodata(encodeBiodata(b))).toEqual(b);
      }),
      { numRuns: 100 },
    );
  });
});

describe('dates', () => {
  it('DD-MM-YYYY <-> ISO, impossible dates refused', () => {
    expect(cardDateToIso('25-05-1990')).toBe('1990-05-25');
    expect(cardDateToIso('29-02-2000')).toBe('2000-02-29');
    expect(cardDateToIso('29-02-1900')).toBeUndefined();
    expect(cardDateToIso('31-04-2020')).toBeUndefined();
    expect(cardDateToIso('1990-05-25')).toBeUndefined();
    expect(isoToCardDate('1990-05-25')).toBe('25-05-1990');
    expect(() => isoToCardDate('1990-13-01')).toThrow(RangeError);
  });
});

describe('NIK structure', () => {
  it('parses the parts', () => {
    expect(parseNik('3171016505900001')).toEqual({
      province: '31',
      regency: '71',
      district: '01',
      dayField: 65,
      month: 5,
      year2: 90,
      serial: '0001',
    });
    expect(parseNik('31710165059000')).toBeUndefined();
  });

  it('agrees with birth date and gender (women +40)', () => {
    expect(isNikConsistent('3171016505900001', '1990-05-25', true)).toBe(true);
    expect(isNikConsistent('3171012505900001', '1990-05-25', false)).toBe(true);
    expect(nikProblems('3171012505900001', '1990-05-25', true)).toEqual(['gender']);
    expect(nikProblems('3171012605900001', '1990-05-25', false)).toEqual(['day']);
    expect(nikProblems('3171012506900001', '1990-05-25', false)).toEqual(['month']);
    expect(nikProblems('3171012505910001', '1990-05-25', false)).toEqual(['year']);
    expect(nikProblems('9971012505900001', '1990-05-25', false)).toEqual(['province']);
    expect(nikProblems('3100002505900000', '1990-05-25', false)).toEqual(['regency', 'district', 'serial']);
    expect(nikProblems('31710125059000A1', '1990-05-25', false)).toEqual(['format']);
  });

  it('formatNik is the inverse (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1940-01-01'), max: new Date('2010-12-31'), noInvalidDate: true }),
        fc.boolean(),
        fc.integer({ min: 1, max: 9999 }),
        (d, female, serial) => {
          const iso = d.toISOString().slice(0, 10);
          const nik = formatNik({
            province: '35',
            regency: '78',
            district: '06',
            birthDateIso: iso,
            female,
            serial,
          });
          expect(isNikConsistent(nik, iso, female)).toBe(true);
        },
      ),
    );
  });
});
