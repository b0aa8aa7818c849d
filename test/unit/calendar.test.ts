import { describe, expect, it } from 'vitest';
import { dayNumber, formatDay } from '../../src/calendar.js';

/** The slow reference dayNumber replaced: through Date.UTC, checked by formatting back. */
function reference(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) throw new RangeError('not a date');
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
  if (formatDay(day) !== m[0]) throw new RangeError('not a valid date');
  return day;
}

describe('dayNumber', () => {
  it('agrees with Date for every day from 1600 to 2400, with and without a time', () => {
    for (let day = reference('1600-01-01'); day <= reference('2400-12-31'); day++) {
      const text = formatDay(day);
      expect(dayNumber(text)).toBe(day);
      if (day % 97 === 0) expect(dayNumber(`${text} 23:59:59`)).toBe(day);
    }
  });

  it('refuses what Date refused: impossible days, malformed text, years before 0100', () => {
    for (const bad of [
      '2025-02-29',
      '2024-02-30',
      '2025-13-01',
      '2025-00-10',
      '2025-04-31',
      '2025-1-01',
      '20250101',
      'x025-01-01',
      '2025/01/01',
      '0050-01-01',
      '',
    ])
      expect(() => dayNumber(bad), bad).toThrow(RangeError);
    expect(dayNumber('2024-02-29')).toBe(reference('2024-02-29'));
    expect(dayNumber('2000-02-29')).toBe(reference('2000-02-29'));
    expect(() => dayNumber('1900-02-29')).toThrow(RangeError);
  });
});
