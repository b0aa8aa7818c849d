import { dayNumber } from '../calendar.js';
import type { Timestamp } from '../generated/google/protobuf/Timestamp.js';
import type { Money } from '../generated/loyalty/v1/Money.js';
import type { RfmSegment } from '../generated/loyalty/v1/RfmSegment.js';
import { RFM_SEGMENTS, type RfmSegmentName } from '../rfm/segments.js';

/** Conversions between domain values and their protobuf shapes. */

/** Money from an amount in cents (rounded to whole cents). */
export function moneyFromCents(cents: number, currencyCode: string): Money {
  const whole = Math.round(cents);
  const units = Math.trunc(whole / 100);
  const nanos = (whole - units * 100) * 10_000_000;
  return { currencyCode, units: String(units), nanos };
}

const timestamps = new Map<string, Timestamp>();

/** Midnight UTC of a YYYY-MM-DD date (memoized: responses repeat a handful of as-of dates). */
export function timestampOfDate(date: string): Timestamp {
  let t = timestamps.get(date);
  if (!t) {
    t = { seconds: String(dayNumber(date) * 86_400), nanos: 0 };
    if (timestamps.size < 1024) timestamps.set(date, t);
  }
  return t;
}

/** A Timestamp of an ISO 8601 date-time. */
export function timestampOfIso(iso: string): Timestamp {
  const ms = Date.parse(iso);
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

export function segmentToWire(segment: RfmSegmentName): RfmSegment {
  return `RFM_SEGMENT_${segment}` as RfmSegment;
}

/** The domain segment of a wire enum value, or undefined for UNSPECIFIED and unknown values. */
export function segmentFromWire(value: string | number): RfmSegmentName | undefined {
  const name = String(value).replace(/^RFM_SEGMENT_/, '');
  return (RFM_SEGMENTS as readonly string[]).includes(name) ? (name as RfmSegmentName) : undefined;
}
