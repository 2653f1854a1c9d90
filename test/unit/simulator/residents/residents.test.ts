import { createPublicKey, verify } from 'node:crypto';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeIso19794_2 } from '../../../../protocols/biometrics/iso19794-2.ts';
import type { GrayImage, MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { decodeBiodata, encodeBiodata } from '../../../../protocols/ektp/biodata.ts';
import { signedMessage } from '../../../../protocols/ektp/document-signature.ts';
import { unframeFile } from '../../../../protocols/ektp/files.ts';
import { isNikConsistent, parseNik } from '../../../../protocols/ektp/nik.ts';
import { PROVINCES } from '../../../../protocols/ektp/regions.ts';
import { hex } from '../../../../protocols/iso7816/bytes.ts';
import { testKeys } from '../../../../simulator/ektp/test-keys.ts';
import { issueCard } from '../../../../simulator/residents/issue-card.ts';
import { minutiaeFromSyntheticFingers } from '../../../../simulator/residents/minutiae-from-fingers.ts';
import { REGIONS } from '../../../../simulator/residents/regions.ts';
import { makeResident, makeResidents, type Resident } from '../../../../simulator/residents/resident.ts';

let people: Resident[];
beforeAll(() => {
  people = makeResidents(40, 500);
});

describe('synthetic residents', () => {
  it('are deterministic: the same seed gives the same person, another seed another one', () => {
    const a = makeResident(123);
    const b = makeResident(123);
    expect(b.biodata).toEqual(a.biodata);
    expect(hex(b.photo)).toBe(hex(a.photo));
    expect(hex(b.signatureImage)).toBe(hex(a.signatureImage));
    expect(b.fingers).toEqual(a.fingers);
    expect(makeResident(124).biodata.nik).not.toBe(a.biodata.nik);
  });

  it('have NIKs that agree with birth date, gender, province and regency', () => {
    for (const p of people) {
      const b = p.biodata;
      expect(isNikConsistent(b.nik, b.tanggalLahir, p.female)).toBe(true);
      const parts = parseNik(b.nik)!;
      expect(PROVINCES[parts.province]).toBe(b.provinsi);
      const region = REGIONS.find((r) => r.provinceCode === parts.province)!;
      const regency = region.regencies.find((g) => g.code === parts.province + parts.regency)!;
      expect(regency.name).toBe(b.kabupaten);
      expect(regency.districts.some((d) => d.kecamatan === b.kecamatan && d.code === parts.district)).toBe(
        true,
      );
      expect(b.jenisKelamin).toBe(p.female ? 'PEREMPUAN' : 'LAKI-LAKI');
      expect(b.rt).toMatch(/^\d{3}$/);
      expect(b.alamat).toMatch(/^(JL\.|GG\.|KOMP\.|PERUM) .+ NO\. \d+$/);
    }
  });

  it('vary: both genders, several provinces and naming traditions, lifetime and dated validity', () => {
    const styles = new Set(people.map((p) => p.namingStyle));
    const provinces = new Set(people.map((p) => p.biodata.provinsi));
    expect(new Set(people.map((p) => p.female)).size).toBe(2);
    expect(styles.size).toBeGreaterThanOrEqual(5);
    expect(provinces.size).toBeGreaterThanOrEqual(6);
    expect(new Set(people.map((p) => p.biodata.nama)).size).toBeGreaterThan(35);
    expect(people.some((p) => p.biodata.berlakuHingga === 'SEUMUR HIDUP')).toBe(true);
    expect(people.some((p) => /^\d{4}-\d{2}-\d{2}$/.test(p.biodata.berlakuHingga))).toBe(true);
  });

  it('biodata survives the card encoding', () => {
    for (const p of people) expect(decodeBiodata(encodeBiodata(p.biodata))).toEqual(p.biodata);
  });

  it('have a decodable JPEG face photo of about 10-16 KB on the right background colour', () => {
    const sizes = people.slice(0, 10).map((p) => p.photo.length);
    for (const p of people.slice(0, 10)) {
      const img = jpeg.decode(p.photo, { useTArray: true });
      expect([img.width, img.height]).toEqual([200, 260]);
      const [r, , b] = img.data.slice(4 * 5, 4 * 5 + 3); // a background pixel near the top-left corner
      const evenYear = Number(p.biodata.tanggalLahir.slice(0, 4)) % 2 === 0;
      expect(evenYear ? r > b : b > r).toBe(true);
    }
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(9_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(16_500);
    console.log(`photo sizes (bytes): ${sizes.join(', ')}`);
  });

  it('have a decodable PNG signature with ink on it', () => {
    for (const p of people.slice(0, 5)) {
      const png = PNG.sync.read(Buffer.from(p.signatureImage));
      let dark = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i] < 128) dark++;
      expect(dark).toBeGreaterThan(300);
      expect(dark).toBeLessThan(png.width * png.height * 0.3);
    }
  });

  it('have right and left index minutiae: 40-60 each, spaced, inside the 500 dpi image', () => {
    for (const p of people) {
      expect(p.fingers.map((f) => f.fingerPosition)).toEqual([2, 7]);
      for (const f of p.fingers) {
        expect(f.minutiae.length).toBeGreaterThanOrEqual(40);
        expect(f.minutiae.length).toBeLessThanOrEqual(60);
        expect(f.dpiX).toBe(500);
        for (const m of f.minutiae) {
          expect(m.x).toBeGreaterThanOrEqual(0);
          expect(m.x).toBeLessThan(f.width);
          expect(m.y).toBeLessThan(f.height);
          expect(m.angle).toBeGreaterThanOrEqual(0);
          expect(m.angle).toBeLessThan(2 * Math.PI);
        }
      }
      expect(p.fingers[0].minutiae).not.toEqual(p.fingers[1].minutiae);
    }
  });

  it('take their minutiae from the source they are given', () => {
    const source = (_: unknown, pos: number): MinutiaeSet => ({
      width: 10,
      height: 10,
      dpiX: 500,
      dpiY: 500,
      quality: 50,
      fingerPosition: pos,
      minutiae: [{ x: 1, y: 2, angle: 0, type: 'ending', quality: 60 }],
    });
    const p = makeResident(9, { minutiaeSource: source });
    expect(p.fingers[1].minutiae).toEqual([{ x: 1, y: 2, angle: 0, type: 'ending', quality: 60 }]);
    expect(p.biodata).toEqual(makeResident(9).biodata);
    expect(p.fingerSeeds).toEqual(makeResident(9).fingerSeeds);
    expect(p.fingerSeeds[0]).not.toBe(p.fingerSeeds[1]);
  });

  it('can take their minutiae from their synthetic fingers through a given extractor', () => {
    const seen: Array<[number, number, number]> = [];
    const extract = (img: GrayImage): MinutiaeSet => {
      let dark = 0;
      for (const v of img.pixels) if (v < 128) dark++;
      seen.push([img.width, img.height, img.dpi]);
      return {
        width: img.width,
        height: img.height,
        dpiX: img.dpi,
        dpiY: img.dpi,
        quality: 70,
        fingerPosition: 0,
        minutiae: [{ x: dark % img.width, y: 5, angle: 1, type: 'bifurcation', quality: 80 }],
      };
    };
    const p = makeResident(11, { minutiaeSource: minutiaeFromSyntheticFingers(extract) });
    expect(seen).toHaveLength(2);
    expect(seen[0][2]).toBe(500);
    expect(p.fingers.map((f) => f.fingerPosition)).toEqual([2, 7]);
    // Different fingers give different images.
    expect(p.fingers[0].minutiae[0].x).not.toBe(p.fingers[1].minutiae[0].x);
  });
});

describe('issueCard', () => {
  it('lays out framed files, ISO 19794-2 records and a P-256 document signature over §8 order', () => {
    const keys = testKeys();
    const p = people[0];
    const card = issueCard(p, keys);
    expect(card.uid).toHaveLength(7);
    expect(card.csn).toHaveLength(8);
    expect([29, 51]).toContain(unframeFile(card.files.CC).length);
    expect(hex(unframeFile(card.files.PHOTO))).toBe(hex(p.photo));
    const m1 = decodeIso19794_2(unframeFile(card.files.MINUTIAE1));
    expect(m1.fingerPosition).toBe(2);
    expect(m1.minutiae.length).toBe(p.fingers[0].minutiae.length);
    const ds = unframeFile(card.files.DS);
    expect(ds).toHaveLength(64);
    const f = card.files;
    const message = signedMessage({
      biodata: f.BIODATA,
      photo: f.PHOTO,
      signature: f.SIGNATURE,
      minutiae1: f.MINUTIAE1,
      minutiae2: f.MINUTIAE2,
    });
    const key = createPublicKey(keys.issuerPublicKeySpkiPem);
    expect(verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, ds)).toBe(true);
    // Identities are seeded: the same resident gives the same card identity.
    expect(hex(issueCard(p, keys).csn)).toBe(hex(card.csn));
    expect(new Set(people.map((q) => unframeFile(issueCard(q, keys).files.CC).length)).size).toBe(2);
  });
});
