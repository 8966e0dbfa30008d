import { format } from 'date-fns/format';
import { TZDate } from '@date-fns/tz';

/**
 * Easter Sunday (Western, Gregorian calendar) as YYYY-MM-DD, by the anonymous Gregorian
 * algorithm (Meeus/Jones/Butcher). date-fns has no Easter function and the algorithm is a
 * dozen lines, so a dependency would not pay for itself. Valid for any Gregorian year.
 */
export function easterSunday(year: number): string {
  if (!Number.isInteger(year) || year < 1583) {
    throw new RangeError(`Easter is computed for Gregorian years from 1583, got ${year}.`);
  }
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return format(new TZDate(year, month - 1, day, 'UTC'), 'yyyy-MM-dd');
}
