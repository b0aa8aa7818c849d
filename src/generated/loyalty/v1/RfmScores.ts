// Original file: proto/loyalty/v1/loyalty_service.proto

import type { RfmSegment as _loyalty_v1_RfmSegment, RfmSegment__Output as _loyalty_v1_RfmSegment__Output } from '../../loyalty/v1/RfmSegment';
import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from '../../loyalty/v1/Money';

export interface RfmScores {
  /**
   * Recency score, 1 (longest since the last purchase) to 5 (most recent).
   */
  'recencyScore'?: (number);
  /**
   * Frequency score, 1 (fewest purchases) to 5 (most).
   */
  'frequencyScore'?: (number);
  /**
   * Monetary score, 1 (least spend) to 5 (most).
   */
  'monetaryScore'?: (number);
  /**
   * The segment named by the scores.
   */
  'segment'?: (_loyalty_v1_RfmSegment);
  /**
   * Display name of the segment, e.g. "Can't Lose Them".
   */
  'segmentName'?: (string);
  /**
   * Days from the last purchase to the as-of date (from sign-up when the
   * customer never bought).
   */
  'recencyDays'?: (number | string);
  /**
   * Number of purchases up to the as-of date.
   */
  'frequency'?: (number | string);
  /**
   * Total spend up to the as-of date.
   */
  'monetary'?: (_loyalty_v1_Money | null);
}

export interface RfmScores__Output {
  /**
   * Recency score, 1 (longest since the last purchase) to 5 (most recent).
   */
  'recencyScore': (number);
  /**
   * Frequency score, 1 (fewest purchases) to 5 (most).
   */
  'frequencyScore': (number);
  /**
   * Monetary score, 1 (least spend) to 5 (most).
   */
  'monetaryScore': (number);
  /**
   * The segment named by the scores.
   */
  'segment': (_loyalty_v1_RfmSegment__Output);
  /**
   * Display name of the segment, e.g. "Can't Lose Them".
   */
  'segmentName': (string);
  /**
   * Days from the last purchase to the as-of date (from sign-up when the
   * customer never bought).
   */
  'recencyDays': (number);
  /**
   * Number of purchases up to the as-of date.
   */
  'frequency': (number);
  /**
   * Total spend up to the as-of date.
   */
  'monetary': (_loyalty_v1_Money__Output | null);
}
