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

/** Midnight UTC of a YYYY-MM-DD date. */
export function timestampOfDate(date: string): Timestamp {
  return { seconds: String(dayNumber(date) * 86_400), nanos: 0 };
}

export function segmentToWire(segment: RfmSegmentName): RfmSegment {
  return `RFM_SEGMENT_${segment}` as RfmSegment;
}

/** The domain segment of a wire enum value, or undefined for UNSPECIFIED and unknown values. */
export function segmentFromWire(value: string | number): RfmSegmentName | undefined {
  const name = String(value).replace(/^RFM_SEGMENT_/, '');
  return (RFM_SEGMENTS as readonly string[]).includes(name) ? (name as RfmSegmentName) : undefined;
}
