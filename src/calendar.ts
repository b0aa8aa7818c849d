/**
 * Dates of the data model as UTC day numbers (days since 1970-01-01). Tables hold them as
 * 'YYYY-MM-DD' and 'YYYY-MM-DD HH:MM:SS' strings, which compare and sort as the instants do.
 */
const MS_PER_DAY = 86_400_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** Day number of a 'YYYY-MM-DD' date or the date part of a 'YYYY-MM-DD HH:MM:SS' time. */
export function dayNumber(text: string): number {
  const m = DATE.exec(text);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(text.slice(0, 40))}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = ms / MS_PER_DAY;
  if (formatDay(day) !== m[0]) throw new RangeError(`not a valid calendar date: ${m[0]}`);
  return day;
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
