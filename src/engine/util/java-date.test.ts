import { describe, expect, it } from 'vitest';
import { formatJavaDate, gregorianFromDays, julianFromDays } from './java-date.ts';

describe('formatJavaDate (Java Date.toString() in UTC)', () => {
  // Expected strings were printed by OpenJDK 17 with TimeZone.setDefault(UTC).
  it.each([
    [0, 'Thu Jan 01 00:00:00 UTC 1970'],
    [-1, 'Wed Dec 31 23:59:59 UTC 1969'],
    [1_795_352_649_000, 'Sun Nov 22 13:04:09 UTC 2026'],
    [1_795_525_449_000, 'Tue Nov 24 13:04:09 UTC 2026'],
    [1_000_000_000_000, 'Sun Sep 09 01:46:40 UTC 2001'],
    [1_234_567_890_123, 'Fri Feb 13 23:31:30 UTC 2009'],
    [2_147_483_647_000, 'Tue Jan 19 03:14:07 UTC 2038'],
    [951_782_400_000, 'Tue Feb 29 00:00:00 UTC 2000'],
    [951_868_799_999, 'Tue Feb 29 23:59:59 UTC 2000'],
    [4_107_542_400_000, 'Mon Mar 01 00:00:00 UTC 2100'],
    [-2_208_988_800_000, 'Mon Jan 01 00:00:00 UTC 1900'],
    [253_402_300_799_999, 'Fri Dec 31 23:59:59 UTC 9999'],
    // the year is not padded, either way
    [253_402_300_800_000, 'Sat Jan 01 00:00:00 UTC 10000'],
    [8_640_000_000_000_000, 'Sat Sep 13 00:00:00 UTC 275760'],
  ])('%d -> %s', (ms, text) => {
    expect(formatJavaDate(ms)).toBe(text);
  });

  it.each([
    // Gregorian from the cutover on, Julian before: Thursday Oct 4 is followed by Friday Oct 15.
    [-12_219_292_800_000, 'Fri Oct 15 00:00:00 UTC 1582'],
    [-12_219_292_800_001, 'Thu Oct 04 23:59:59 UTC 1582'],
    [-30_610_224_000_000, 'Wed Dec 27 00:00:00 UTC 999'],
    [-62_135_596_800_000, 'Mon Jan 03 00:00:00 UTC 1'],
    [-62_135_596_800_001, 'Sun Jan 02 23:59:59 UTC 1'],
    // before year 1 the era year is printed without an era: 1 BC is "1", 2 BC is "2"
    [-62_167_219_200_000, 'Sat Jan 03 00:00:00 UTC 1'],
    [-62_198_755_200_001, 'Thu Jan 02 23:59:59 UTC 2'],
    [-8_640_000_000_000_000, 'Tue Nov 20 00:00:00 UTC 271817'],
  ])('Julian era: %d -> %s', (ms, text) => {
    expect(formatJavaDate(ms)).toBe(text);
  });

  it('agrees with a JS Date (proleptic Gregorian) on many timestamps after the cutover', () => {
    const names = { day: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] };
    let x = 0x2545f491;
    const mismatches: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const ms = -12_219_292_800_000 + Math.floor(((x >>> 0) / 2 ** 32) * 16_000_000_000_000 * 1.5);
      const d = new Date(ms);
      const two = (v: number): string => String(v).padStart(2, '0');
      const month = d.toUTCString().slice(8, 11);
      const expected = `${names.day[d.getUTCDay()]} ${month} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
      if (formatJavaDate(ms) !== expected) mismatches.push(`${ms}: ${formatJavaDate(ms)} != ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('truncates milliseconds toward the past, also before 1970', () => {
    expect(formatJavaDate(999)).toBe('Thu Jan 01 00:00:00 UTC 1970');
    expect(formatJavaDate(-999)).toBe('Wed Dec 31 23:59:59 UTC 1969');
    expect(formatJavaDate(-1000)).toBe('Wed Dec 31 23:59:59 UTC 1969');
    expect(formatJavaDate(-1001)).toBe('Wed Dec 31 23:59:58 UTC 1969');
  });

  it('refuses non-integer milliseconds (a caller bug)', () => {
    expect(() => formatJavaDate(1.5)).toThrow(/integer milliseconds/);
    expect(() => formatJavaDate(Number.NaN)).toThrow(/integer milliseconds/);
  });
});

describe('civil dates', () => {
  it.each([
    [0, 1970, 1, 1],
    [-1, 1969, 12, 31],
    [59, 1970, 3, 1],
    [10_957, 2000, 1, 1],
    [11_016, 2000, 2, 29],
    [-719_468, 0, 3, 1],
  ])('gregorianFromDays(%d) = %d-%d-%d', (days, year, month, day) => {
    expect(gregorianFromDays(days)).toEqual({ year, month, day });
  });

  it.each([
    [0, 1969, 12, 19],
    [-141_428, 1582, 10, 4],
    [-719_470, 0, 3, 1],
    [-719_162, 1, 1, 3],
    [-719_164, 1, 1, 1],
  ])('julianFromDays(%d) = %d-%d-%d', (days, year, month, day) => {
    expect(julianFromDays(days)).toEqual({ year, month, day });
  });

  it('walks day by day without gaps in both calendars', () => {
    for (const fromDays of [gregorianFromDays, julianFromDays]) {
      let prev = fromDays(-800_000);
      const gaps: number[] = [];
      for (let d = -799_999; d < -700_000; d++) {
        const cur = fromDays(d);
        const nextDay = cur.day === prev.day + 1 && cur.month === prev.month && cur.year === prev.year;
        const nextMonth = cur.day === 1 && (cur.month === prev.month + 1 || (cur.month === 1 && prev.month === 12));
        if (!nextDay && !nextMonth) gaps.push(d);
        prev = cur;
      }
      expect(gaps).toEqual([]);
    }
  });
});
