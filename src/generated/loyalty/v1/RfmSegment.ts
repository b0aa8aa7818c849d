// Original file: proto/loyalty/v1/loyalty_service.proto

/**
 * RFM segment, named from the R score and the mean of the F and M scores
 * (the mapping is documented in the README).
 */
export const RfmSegment = {
  /**
   * Not set; never sent by the server.
   */
  RFM_SEGMENT_UNSPECIFIED: 'RFM_SEGMENT_UNSPECIFIED',
  RFM_SEGMENT_CHAMPIONS: 'RFM_SEGMENT_CHAMPIONS',
  RFM_SEGMENT_LOYAL: 'RFM_SEGMENT_LOYAL',
  RFM_SEGMENT_POTENTIAL_LOYALIST: 'RFM_SEGMENT_POTENTIAL_LOYALIST',
  RFM_SEGMENT_NEW: 'RFM_SEGMENT_NEW',
  RFM_SEGMENT_PROMISING: 'RFM_SEGMENT_PROMISING',
  RFM_SEGMENT_NEED_ATTENTION: 'RFM_SEGMENT_NEED_ATTENTION',
  RFM_SEGMENT_ABOUT_TO_SLEEP: 'RFM_SEGMENT_ABOUT_TO_SLEEP',
  RFM_SEGMENT_AT_RISK: 'RFM_SEGMENT_AT_RISK',
  RFM_SEGMENT_CANNOT_LOSE_THEM: 'RFM_SEGMENT_CANNOT_LOSE_THEM',
  RFM_SEGMENT_HIBERNATING: 'RFM_SEGMENT_HIBERNATING',
  RFM_SEGMENT_LOST: 'RFM_SEGMENT_LOST',
} as const;

/**
 * RFM segment, named from the R score and the mean of the F and M scores
 * (the mapping is documented in the README).
 */
export type RfmSegment =
  /**
   * Not set; never sent by the server.
   */
  | 'RFM_SEGMENT_UNSPECIFIED'
  | 0
  | 'RFM_SEGMENT_CHAMPIONS'
  | 1
  | 'RFM_SEGMENT_LOYAL'
  | 2
  | 'RFM_SEGMENT_POTENTIAL_LOYALIST'
  | 3
  | 'RFM_SEGMENT_NEW'
  | 4
  | 'RFM_SEGMENT_PROMISING'
  | 5
  | 'RFM_SEGMENT_NEED_ATTENTION'
  | 6
  | 'RFM_SEGMENT_ABOUT_TO_SLEEP'
  | 7
  | 'RFM_SEGMENT_AT_RISK'
  | 8
  | 'RFM_SEGMENT_CANNOT_LOSE_THEM'
  | 9
  | 'RFM_SEGMENT_HIBERNATING'
  | 10
  | 'RFM_SEGMENT_LOST'
  | 11

/**
 * RFM segment, named from the R score and the mean of the F and M scores
 * (the mapping is documented in the README).
 */
export type RfmSegment__Output = typeof RfmSegment[keyof typeof RfmSegment]
