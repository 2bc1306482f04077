/**
 * Java's `new Date(ms).toString()` with the JVM's zone set to UTC, the shape zkCli prints for
 * ctime/mtime: `EEE MMM dd HH:mm:ss zzz yyyy`, e.g. `Thu Jan 01 00:00:00 UTC 1970`.
 *
 * No Date object (the engine never touches one). What java.util.Date does, reproduced here:
 * - the calendar is Gregorian from the cutover (Fri Oct 15 1582) on and Julian before it, so the
 *   day before the cutover is `Thu Oct 04 ... 1582`;
 * - the year is printed as a plain number, not padded (`999`, `12345`); before year 1 the Julian
 *   calendar counts eras, and the era year is printed without an era marker (1 BC prints `1`);
 * - day of month and the time fields are zero-padded to two digits.
 */
import { assert } from './assert.ts';

const dayNames = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed']; // day 0 (1970-01-01) was a Thursday
const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const msPerDay = 86_400_000;
/** GregorianCalendar.DEFAULT_GREGORIAN_CUTOVER, Oct 15 1582 00:00 UTC, in ms since the epoch. */
const gregorianCutoverMs = -12_219_292_800_000;

interface CivilDate {
  readonly year: number; // astronomical: 0 is 1 BC
  readonly month: number; // 1..12
  readonly day: number; // 1..31
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const floorMod = (a: number, b: number): number => a - Math.floor(a / b) * b;

/** Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days). */
export function gregorianFromDays(days: number): CivilDate {
  const z = days + 719_468; // days since 0000-03-01, so that leap days fall at the end of a year
  const era = floorDiv(z, 146_097);
  const doe = z - era * 146_097; // day of the 400-year era, 0..146096
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36_524) - floorDiv(doe, 146_096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100)); // 0..365, from March 1
  const mp = floorDiv(5 * doy + 2, 153); // 0 = March .. 11 = February
  const day = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Proleptic Julian date of a day count since 1970-01-01 (the same shift, with 4-year cycles). */
export function julianFromDays(days: number): CivilDate {
  const z = days + 719_470; // 1970-01-01 Gregorian is 1969-12-19 Julian: two more days since 0000-03-01
  const cycle = floorDiv(z, 1461);
  const doc = z - cycle * 1461; // day of the 4-year cycle, 0..1460; the leap day is the last
  const yoc = floorDiv(doc - floorDiv(doc, 1460), 365);
  const doy = doc - 365 * yoc;
  const mp = floorDiv(5 * doy + 2, 153);
  const day = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoc + cycle * 4 + (month <= 2 ? 1 : 0), month, day };
}

const two = (n: number): string => String(n).padStart(2, '0');

export function formatJavaDate(ms: number): string {
  assert(Number.isSafeInteger(ms), `formatJavaDate takes integer milliseconds, got ${ms}`);
  const days = floorDiv(ms, msPerDay);
  const msOfDay = ms - days * msPerDay;
  const date = ms >= gregorianCutoverMs ? gregorianFromDays(days) : julianFromDays(days);
  // JulianCalendar.Date.setNormalizedYear keeps years <= 0 as era years of BCE: 0 -> 1, -1 -> 2.
  const year = date.year > 0 ? date.year : 1 - date.year;
  const hh = floorDiv(msOfDay, 3_600_000);
  const mm = floorDiv(msOfDay % 3_600_000, 60_000);
  const ss = floorDiv(msOfDay % 60_000, 1000);
  const dow = dayNames[floorMod(days, 7)];
  return `${dow} ${monthNames[date.month - 1]} ${two(date.day)} ${two(hh)}:${two(mm)}:${two(ss)} UTC ${year}`;
}
