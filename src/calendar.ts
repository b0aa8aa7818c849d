/**
 * Dates of the data model as UTC day numbers (days since 1970-01-01). Tables hold them as
 * 'YYYY-MM-DD' and 'YYYY-MM-DD HH:MM:SS' strings, which compare and sort as the instants do.
 */
const MS_PER_DAY = 86_400_000;

/**
 * Day number of a 'YYYY-MM-DD' date or the date part of a 'YYYY-MM-DD HH:MM:SS' time. Parsed
 * digit by digit with the civil-from-days arithmetic (H. Hinnant): the jobs over the base call it
 * for every record, and going through Date and toISOString took a quarter of a materialization.
 * Years before 0100 are refused (Date.UTC reads them as 19xx).
 */
export function dayNumber(text: string): number {
  const y = digits(text, 0, 4);
  const m = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  if (Number.isNaN(y + m + d) || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45)
    throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(text.slice(0, 40))}`);
  if (y < 100 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m))
    throw new RangeError(`not a valid calendar date: ${text.slice(0, 10)}`);
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The number written by `length` ASCII digits at `start`, NaN if any is not a digit. */
function digits(text: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return Number.NaN;
    n = n * 10 + c;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:MM:SS' for a day and a second of that day. */
export function formatDateTime(day: number, secondOfDay: number): string {
  return new Date(day * MS_PER_DAY + secondOfDay * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Day number of the first day of the month that contains `day`. */
export function monthStart(day: number): number {
  const d = new Date(day * MS_PER_DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / MS_PER_DAY;
}

/** Day number of the first day of the month after the one that contains `day`. */
export function nextMonthStart(day: number): number {
  const d = new Date(day * MS_PER_DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / MS_PER_DAY;
}

export function dayToDate(day: number): Date {
  return new Date(day * MS_PER_DAY);
}
