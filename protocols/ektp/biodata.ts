/**
 * EF.BIODATA content (§9) both ways: one-byte context tags 80..92, UTF-8 upper-case text. Unknown tags
 * are skipped; a missing mandatory tag or a malformed value is CARD_DATA_INVALID. Dates become ISO.
 * Field names follow api-v1.md's `card` object.
 */
import { BridgeError } from '../errors.ts';
import { encodeTlvs, parseTlvs, type Tlv } from '../iso7816/tlv.ts';
import { cardDateToIso, isoToCardDate } from './dates.ts';

export type JenisKelamin = 'LAKI-LAKI' | 'PEREMPUAN';
export const LIFETIME = 'SEUMUR HIDUP';

export interface Biodata {
  nik: string;
  nama: string;
  tempatLahir: string;
  /** ISO YYYY-MM-DD */
  tanggalLahir: string;
  jenisKelamin: JenisKelamin;
  /** A, B, AB, O or - ; absent when the card has no tag 85 */
  golonganDarah?: string;
  alamat: string;
  rt: string;
  rw: string;
  kelurahan: string;
  kecamatan: string;
  kabupaten: string;
  provinsi: string;
  agama: string;
  statusPerkawinan: string;
  pekerjaan: string;
  kewarganegaraan: string;
  /** 'SEUMUR HIDUP' or an ISO date */
  berlakuHingga: string;
  /** ISO date of issue, when present */
  tanggalTerbit?: string;
}

/** Tag table in card order; `date` fields are converted, `mandatory` ones must be present. */
const FIELDS: ReadonlyArray<{
  tag: number;
  field: keyof Biodata;
  mandatory: boolean;
  kind?: 'date' | 'validity';
}> = [
  { tag: 0x80, field: 'nik', mandatory: true },
  { tag: 0x81, field: 'nama', mandatory: true },
  { tag: 0x82, field: 'tempatLahir', mandatory: true },
  { tag: 0x83, field: 'tanggalLahir', mandatory: true, kind: 'date' },
  { tag: 0x84, field: 'jenisKelamin', mandatory: true },
  { tag: 0x85, field: 'golonganDarah', mandatory: false },
  { tag: 0x86, field: 'alamat', mandatory: true },
  { tag: 0x87, field: 'rt', mandatory: true },
  { tag: 0x88, field: 'rw', mandatory: true },
  { tag: 0x89, field: 'kelurahan', mandatory: true },
  { tag: 0x8a, field: 'kecamatan', mandatory: true },
  { tag: 0x8b, field: 'kabupaten', mandatory: true },
  { tag: 0x8c, field: 'provinsi', mandatory: true },
  { tag: 0x8d, field: 'agama', mandatory: true },
  { tag: 0x8e, field: 'statusPerkawinan', mandatory: true },
  { tag: 0x8f, field: 'pekerjaan', mandatory: true },
  { tag: 0x90, field: 'kewarganegaraan', mandatory: true },
  { tag: 0x91, field: 'berlakuHingga', mandatory: true, kind: 'validity' },
  { tag: 0x92, field: 'tanggalTerbit', mandatory: false, kind: 'date' },
];

const BLOOD_TYPES = new Set(['A', 'B', 'AB', 'O', '-']);

// Fatal so that invalid UTF-8 is an error, not a silent U+FFFD in a name.
const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encode = new TextEncoder();

function invalid(reason: string, tag?: number): BridgeError {
  // The detail names the tag, never the value: biodata is personal data.
  return new BridgeError(
    'CARD_DATA_INVALID',
    `biodata: ${reason}`,
    tag === undefined ? { reason } : { reason, tag: tag.toString(16) },
  );
}

export function decodeBiodata(content: Uint8Array): Biodata {
  let items: Tlv[];
  try {
    items = parseTlvs(content);
  } catch (e) {
    throw new BridgeError('CARD_DATA_INVALID', 'biodata: malformed TLV', { reason: 'tlv' }, { cause: e });
  }
  const byTag = new Map<number, Uint8Array>();
  for (const it of items) if (!byTag.has(it.tag)) byTag.set(it.tag, it.value);
  const out: Record<string, string> = {};
  for (const f of FIELDS) {
    const raw = byTag.get(f.tag);
    if (raw === undefined) {
      if (f.mandatory) throw invalid('missing mandatory tag', f.tag);
      continue;
    }
    let text: string;
    try {
      text = utf8.decode(raw).trim();
    } catch {
      throw invalid('not UTF-8', f.tag);
    }
    if (f.kind === 'date' || (f.kind === 'validity' && text !== LIFETIME)) {
      const iso = cardDateToIso(text);
      if (iso === undefined) throw invalid('bad date', f.tag);
      text = iso;
    }
    out[f.field] = text;
  }
  if (!/^\d{16}$/.test(out.nik)) throw invalid('NIK is not 16 digits', 0x80);
  if (out.jenisKelamin !== 'LAKI-LAKI' && out.jenisKelamin !== 'PEREMPUAN')
    throw invalid('bad jenis kelamin', 0x84);
  if (out.golonganDarah !== undefined && !BLOOD_TYPES.has(out.golonganDarah))
    throw invalid('bad golongan darah', 0x85);
  if (!/^\d{3}$/.test(out.rt)) throw invalid('RT is not 3 digits', 0x87);
  if (!/^\d{3}$/.test(out.rw)) throw invalid('RW is not 3 digits', 0x88);
  return out as unknown as Biodata;
}

/** The inverse of decodeBiodata; `extra` appends other TLVs (tests of "unknown tags are skipped"). */
export function encodeBiodata(b: Biodata, extra: Tlv[] = []): Uint8Array {
  const items: Tlv[] = [];
  for (const f of FIELDS) {
    const v = b[f.field];
    if (v === undefined) {
      if (f.mandatory) throw new RangeError(`biodata field ${f.field} is mandatory`);
      continue;
    }
    const text = f.kind === 'date' || (f.kind === 'validity' && v !== LIFETIME) ? isoToCardDate(v) : v;
    items.push({ tag: f.tag, value: utf8Encode.encode(text) });
  }
  return encodeTlvs([...items, ...extra]);
}
