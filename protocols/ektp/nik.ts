/**
 * NIK (Nomor Induk Kependudukan) structure, public (§9): 2 digits province, 2 regency/city, 2 district,
 * 2 day of birth (+40 for women), 2 month, 2 year, 4 serial. A reader reports a NIK that disagrees
 * with the record as an inconsistency; it does not reject the card.
 */
import { PROVINCE_CODES } from './regions.ts';

export interface NikParts {
  province: string;
  regency: string;
  district: string;
  /** day as written, women carry +40 */
  dayField: number;
  month: number;
  year2: number;
  serial: string;
}

export function parseNik(nik: string): NikParts | undefined {
  if (!/^\d{16}$/.test(nik)) return undefined;
  return {
    province: nik.slice(0, 2),
    regency: nik.slice(2, 4),
    district: nik.slice(4, 6),
    dayField: Number(nik.slice(6, 8)),
    month: Number(nik.slice(8, 10)),
    year2: Number(nik.slice(10, 12)),
    serial: nik.slice(12, 16),
  };
}

export type NikProblem =
  | 'format'
  | 'province'
  | 'regency'
  | 'district'
  | 'day'
  | 'gender'
  | 'month'
  | 'year'
  | 'serial';

/**
 * Lists what disagrees between the NIK and the record (empty = consistent).
 * `birthDateIso` is YYYY-MM-DD; `female` from jenis kelamin.
 */
export function nikProblems(nik: string, birthDateIso: string, female: boolean): NikProblem[] {
  const p = parseNik(nik);
  if (!p) return ['format'];
  const problems: NikProblem[] = [];
  if (!PROVINCE_CODES.has(p.province)) problems.push('province');
  if (p.regency === '00') problems.push('regency');
  if (p.district === '00') problems.push('district');
  if (p.serial === '0000') problems.push('serial');
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDateIso);
  if (!m) return [...problems, 'day', 'month', 'year'];
  const day = Number(m[3]);
  const isFemaleField = p.dayField > 40;
  const fieldDay = isFemaleField ? p.dayField - 40 : p.dayField;
  if (fieldDay !== day) problems.push('day');
  if (isFemaleField !== female) problems.push('gender');
  if (p.month !== Number(m[2])) problems.push('month');
  if (p.year2 !== Number(m[1]) % 100) problems.push('year');
  return problems;
}

export function isNikConsistent(nik: string, birthDateIso: string, female: boolean): boolean {
  return nikProblems(nik, birthDateIso, female).length === 0;
}

/** Builds a NIK from its parts (the simulator issues residents with it). */
export function formatNik(p: {
  province: string;
  regency: string;
  district: string;
  birthDateIso: string;
  female: boolean;
  serial: number;
}): string {
  const [y, mo, d] = p.birthDateIso.split('-');
  const day = Number(d) + (p.female ? 40 : 0);
  return `${p.province}${p.regency}${p.district}${String(day).padStart(2, '0')}${mo}${y.slice(2)}${String(p.serial).padStart(4, '0')}`;
}
