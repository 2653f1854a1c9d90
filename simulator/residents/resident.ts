/**
 * Deterministic synthetic residents: the same seed gives the same person (biodata, face, signature
 * and finger minutiae) on every machine. Names, addresses and religions follow the region, NIKs carry
 * real province and regency codes and the birth date (+40 for women), as issued by Dukcapil.
 */
import type { MinutiaeSet } from '../../protocols/biometrics/types.ts';
import { type Biodata, LIFETIME } from '../../protocols/ektp/biodata.ts';
import { formatNik } from '../../protocols/ektp/nik.ts';
import { PROVINCES } from '../../protocols/ektp/regions.ts';
import { type MinutiaeSource, plausibleMinutiae } from './minutiae.ts';
import { type NamingStyle, personName } from './names.ts';
import { drawFacePhoto } from './photo.ts';
import { STREETS } from './places.ts';
import { Rng } from './random.ts';
import { REGIONS } from './regions.ts';
import { drawSignature } from './signature-image.ts';

export interface Resident {
  seed: number;
  biodata: Biodata;
  female: boolean;
  namingStyle: NamingStyle;
  /** JPEG face photo (EF.PHOTO content) */
  photo: Uint8Array;
  /** PNG signature image (EF.SIGNATURE content) */
  signatureImage: Uint8Array;
  /** right index (ISO finger position 2), then left index (7): EF.MINUTIAE1 and EF.MINUTIAE2 */
  fingers: [MinutiaeSet, MinutiaeSet];
  /**
   * Seeds of this person's synthetic fingers (simulator/fingerprints `syntheticFinger(seed)`), right
   * index then left index: a simulated sensor presents impressions of these fingers, so a live finger
   * can match the card when the card's minutiae come from the same fingers (minutiae-from-fingers.ts).
   */
  fingerSeeds: [number, number];
}

export interface ResidentOptions {
  /** where finger minutiae come from (default: plausible seeded minutiae) */
  minutiaeSource?: MinutiaeSource;
}

export const RIGHT_INDEX = 2;
export const LEFT_INDEX = 7;

const STYLE_RELIGIONS: Partial<Record<NamingStyle, ReadonlyArray<readonly [string, number]>>> = {
  balinese: [
    ['HINDU', 95],
    ['KRISTEN', 3],
    ['KATOLIK', 2],
  ],
  'chinese-indonesian': [
    ['BUDDHA', 40],
    ['KRISTEN', 30],
    ['KATOLIK', 20],
    ['KONGHUCU', 10],
  ],
  'manado-ambon': [
    ['KRISTEN', 80],
    ['KATOLIK', 20],
  ],
  islamic: [['ISLAM', 1]],
  minang: [['ISLAM', 1]],
  bugis: [['ISLAM', 1]],
};

const JOBS_ADULT = [
  ['KARYAWAN SWASTA', 25],
  ['WIRASWASTA', 20],
  ['MENGURUS RUMAH TANGGA', 12],
  ['PEGAWAI NEGERI SIPIL (PNS)', 8],
  ['PETANI/PEKEBUN', 8],
  ['BURUH HARIAN LEPAS', 7],
  ['PEDAGANG', 6],
  ['GURU', 4],
  ['NELAYAN/PERIKANAN', 3],
  ['SOPIR', 3],
  ['PERAWAT', 2],
  ['DOKTER', 1],
  ['TENTARA NASIONAL INDONESIA (TNI)', 1],
  ['KEPOLISIAN RI (POLRI)', 1],
] as const;

const pad2 = (n: number) => String(n).padStart(2, '0');
const isoDate = (y: number, m: number, d: number) => `${y}-${pad2(m)}-${pad2(d)}`;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function makeResident(seed: number, opts: ResidentOptions = {}): Resident {
  const root = new Rng(seed);
  const rng = root.fork('biodata');
  const region = rng.pick(REGIONS);
  const regency = rng.pick(region.regencies);
  const district = rng.pick(regency.districts);
  const style = rng.weighted(region.styles);
  const female = rng.chance(0.5);

  const birthYear = rng.int(1950, 2007);
  const birthMonth = rng.int(1, 12);
  const birthDay = rng.int(1, daysIn(birthYear, birthMonth));
  const tanggalLahir = isoDate(birthYear, birthMonth, birthDay);
  const issueYear = rng.int(Math.max(2012, birthYear + 17), 2025);
  const issueMonth = rng.int(1, 12);
  const tanggalTerbit = isoDate(issueYear, issueMonth, rng.int(1, daysIn(issueYear, issueMonth)));
  // Cards issued since 2016 are valid for life; older ones until the birthday five years on.
  const berlakuHingga =
    issueYear >= 2016 || rng.chance(0.3)
      ? LIFETIME
      : isoDate(issueYear + 5, birthMonth, Math.min(birthDay, daysIn(issueYear + 5, birthMonth)));
  const age = 2025 - birthYear;

  const cityName = regency.name.replace(/^(KOTA|KABUPATEN) /, '');
  const tempatLahir = rng.chance(0.55) ? cityName : rng.pick(region.birthplaces);
  const statusPerkawinan =
    age < 21
      ? 'BELUM KAWIN'
      : rng.weighted([
          ['KAWIN', 70],
          ['BELUM KAWIN', age < 30 ? 40 : 8],
          ['CERAI HIDUP', 5],
          ['CERAI MATI', age > 55 ? 15 : 2],
        ] as const);
  const pekerjaan =
    age < 23 ? 'PELAJAR/MAHASISWA' : age > 60 && rng.chance(0.5) ? 'PENSIUNAN' : rng.weighted(JOBS_ADULT);
  const golonganDarah = rng.weighted([
    ['-', 40],
    ['O', 22],
    ['A', 14],
    ['B', 16],
    ['AB', 4],
    ['(none)', 4],
  ] as const);

  const biodata: Biodata = {
    nik: formatNik({
      province: region.provinceCode,
      regency: regency.code.slice(2),
      district: district.code,
      birthDateIso: tanggalLahir,
      female,
      serial: rng.int(1, 2999),
    }),
    nama: personName(rng, style, female),
    tempatLahir,
    tanggalLahir,
    jenisKelamin: female ? 'PEREMPUAN' : 'LAKI-LAKI',
    ...(golonganDarah === '(none)' ? {} : { golonganDarah }),
    alamat: `${rng.pick(STREETS)} NO. ${rng.int(1, 150)}`,
    rt: String(rng.int(1, 15)).padStart(3, '0'),
    rw: String(rng.int(1, 12)).padStart(3, '0'),
    kelurahan: rng.pick(district.kelurahan),
    kecamatan: district.kecamatan,
    kabupaten: regency.name,
    provinsi: PROVINCES[region.provinceCode],
    agama: rng.weighted(STYLE_RELIGIONS[style] ?? region.religions),
    statusPerkawinan,
    pekerjaan,
    kewarganegaraan: 'WNI',
    berlakuHingga,
    tanggalTerbit,
  };

  const source = opts.minutiaeSource ?? plausibleMinutiae;
  const seeds = root.fork('finger-seeds');
  const fingerSeeds: [number, number] = [seeds.int(1, 0x7fffffff), seeds.int(1, 0x7fffffff)];
  return {
    seed,
    biodata,
    female,
    namingStyle: style,
    // KTP-el photo background: red for an even birth year, blue for an odd one.
    photo: drawFacePhoto(root.fork('photo'), { background: birthYear % 2 === 0 ? 'red' : 'blue', female }),
    signatureImage: drawSignature(root.fork('signature')),
    fingers: [
      source(root.fork('finger-2'), RIGHT_INDEX, fingerSeeds[0]),
      source(root.fork('finger-7'), LEFT_INDEX, fingerSeeds[1]),
    ],
    fingerSeeds,
  };
}

/** `count` residents with seeds seed, seed+1, ... */
export function makeResidents(count: number, seed: number, opts: ResidentOptions = {}): Resident[] {
  return Array.from({ length: count }, (_, i) => makeResident(seed + i, opts));
}
