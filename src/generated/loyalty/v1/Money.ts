// Original file: proto/loyalty/v1/common.proto

import type { Long } from '@grpc/proto-loader';

/**
 * An amount of money, shaped as google.type.Money.
 */
export interface Money {
  /**
   * Three-letter ISO 4217 currency code, e.g. "EUR".
   */
  'currencyCode'?: (string);
  /**
   * Whole units of the amount.
   */
  'units'?: (number | string | Long);
  /**
   * Nano units (10^-9) of the amount, same sign as units, -999,999,999 to
   * +999,999,999.
   */
  'nanos'?: (number);
}

/**
 * An amount of money, shaped as google.type.Money.
 */
export interface Money__Output {
  /**
   * Three-letter ISO 4217 currency code, e.g. "EUR".
   */
  'currencyCode': (string);
  /**
   * Whole units of the amount.
   */
  'units': (string);
  /**
   * Nano units (10^-9) of the amount, same sign as units, -999,999,999 to
   * +999,999,999.
   */
  'nanos': (number);
}
