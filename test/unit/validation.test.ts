import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { LoyaltyError } from '../../src/errors.js';
import { type SubjectRef, validateSubjects } from '../../src/serving/subjects.js';

const id = (customerId: string): SubjectRef => ({ customerId });
const raw = (values: Record<string, number>, reference = 'r1'): SubjectRef => ({ reference, values });
const NAMES = ['recency_days', 'frequency', 'monetary'];

function rejection(fn: () => unknown): LoyaltyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LoyaltyError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('validateSubjects', () => {
  it('accepts ids and complete raw features', () => {
    const subjects = validateSubjects(
      [id('C0000001'), raw({ recency_days: 3, frequency: 2, monetary: 9.5 })],
      10,
      NAMES,
    );
    expect(subjects[0]).toEqual({ kind: 'customer', customerId: 'C0000001' });
    expect(subjects[1]).toMatchObject({ kind: 'raw', reference: 'r1' });
  });

  it.each([
    ['an empty id', '', /customers\[0\]\.customer_id is empty/],
    ['a 10 kB id', 'x'.repeat(10_240), /10240 characters\) is malformed/],
    ['a quote', "C1' OR '1'='1", /is malformed/],
    ['a semicolon', 'C1;DROP TABLE customers', /is malformed/],
    ['a percent sign', 'C%', /is malformed/],
    ['a newline', 'C1\nC2', /is malformed/],
  ])('refuses %s with INVALID_ARGUMENT', (_what, value, message) => {
    const err = rejection(() => validateSubjects([id(value)], 10, NAMES));
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/1 to 64 characters/);
  });

  it('refuses an empty batch and one over the maximum', () => {
    expect(rejection(() => validateSubjects([], 10, NAMES)).message).toMatch(/customers is empty/);
    const over = rejection(() =>
      validateSubjects(
        Array.from({ length: 11 }, () => id('C1')),
        10,
        NAMES,
      ),
    );
    expect(over.code).toBe(status.INVALID_ARGUMENT);
    expect(over.message).toMatch(/11 items; at most 10/);
  });

  it('refuses raw features that are missing, unknown or not finite, saying what is accepted', () => {
    expect(
      rejection(() => validateSubjects([raw({ recency_days: 1, frequency: 1 })], 10, NAMES)).message,
    ).toMatch(/lacks monetary; accepted names: recency_days, frequency, monetary/);
    expect(
      rejection(() =>
        validateSubjects([raw({ recency_days: 1, frequency: 1, monetary: 1, tenure: 5 })], 10, NAMES),
      ).message,
    ).toMatch(/unknown "tenure"/);
    expect(
      rejection(() =>
        validateSubjects([raw({ recency_days: Number.NaN, frequency: 1, monetary: 1 })], 10, NAMES),
      ).message,
    ).toMatch(/recency_days is NaN; values must be finite/);
    expect(
      rejection(() =>
        validateSubjects(
          [raw({ recency_days: 1, frequency: Number.POSITIVE_INFINITY, monetary: 1 })],
          10,
          NAMES,
        ),
      ).message,
    ).toMatch(/frequency is Infinity/);
  });

  it('refuses an item with neither an id nor features', () => {
    expect(rejection(() => validateSubjects([{}], 10, NAMES)).message).toMatch(
      /sets neither customer_id nor features/,
    );
  });
});
