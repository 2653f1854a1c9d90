/**
 * Places across several provinces, with the Kemendagri province and regency/city codes that NIKs carry
 * (digits 1-4). Kecamatan codes (digits 5-6) follow the order of the lists below, which is plausible
 * rather than authoritative. Each region also says which naming traditions and religions are common
 * there, so residents look like their address.
 */
import type { NamingStyle } from './names.ts';

export interface District {
  code: string;
  kecamatan: string;
  kelurahan: readonly string[];
}

export interface Regency {
  /** 4 digits: province + regency/city */
  code: string;
  /** as printed in the kabupaten/kota line */
  name: string;
  districts: readonly District[];
}

export interface Region {
  provinceCode: string;
  regencies: readonly Regency[];
  styles: ReadonlyArray<readonly [NamingStyle, number]>;
  religions: ReadonlyArray<readonly [string, number]>;
  /** places of birth people here often have besides their own city */
  birthplaces: readonly string[];
}

export const d = (code: string, kecamatan: string, ...kelurahan: string[]): District => ({
  code,
  kecamatan,
  kelurahan,
});

export const MOSTLY_ISLAM = [
  ['ISLAM', 88],
  ['KRISTEN', 6],
  ['KATOLIK', 3],
  ['HINDU', 1],
  ['BUDDHA', 2],
] as const;

export const STREETS = [
  'JL. MERDEKA',
  'JL. SUDIRMAN',
  'JL. DIPONEGORO',
  'JL. GATOT SUBROTO',
  'JL. PEMUDA',
  'JL. AHMAD YANI',
  'JL. KARTINI',
  'JL. PAHLAWAN',
  'JL. MELATI',
  'JL. KENANGA',
  'JL. CEMPAKA PUTIH',
  'JL. SISINGAMANGARAJA',
  'JL. HASANUDDIN',
  'JL. IMAM BONJOL',
  'JL. RAYA',
  'JL. SUKARNO HATTA',
  'JL. NANGKA',
  'JL. MANGGA DUA',
  'GG. MAWAR',
  'GG. SEPAKAT',
  'GG. BUNTU',
  'KOMP. PERUMNAS BLOK C',
  'PERUM GRIYA ASRI',
] as const;
