/** Dates as printed on the card (`DD-MM-YYYY`) to ISO 8601 (`YYYY-MM-DD`) and back. */

export function cardDateToIso(text: string): string | undefined {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text.trim());
  if (!m) return undefined;
  const [, dd, mm, yyyy] = m;
  const d = Number(dd);
  const mo = Number(mm);
  const y = Number(yyyy);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return `${yyyy}-${mm}-${dd}`;
}

export function isoToCardDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m || cardDateToIso(`${m[3]}-${m[2]}-${m[1]}`) === undefined)
    throw new RangeError(`not an ISO date: ${iso}`);
  return `${m[3]}-${m[2]}-${m[1]}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
