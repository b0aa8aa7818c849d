/**
 * Named RFM segments from the recency score R and FM, the mean of the frequency and monetary
 * scores rounded half up. The grid (rows R, columns FM) is total: every score combination has
 * exactly one segment.
 *
 *        FM=1                FM=2                FM=3                FM=4             FM=5
 * R=5    New                 Potential Loyalist  Potential Loyalist  Champions        Champions
 * R=4    Promising           Potential Loyalist  Potential Loyalist  Loyal            Champions
 * R=3    About to Sleep      About to Sleep      Need Attention      Loyal            Loyal
 * R=2    Hibernating         Hibernating         At Risk             At Risk          Can't Lose Them
 * R=1    Lost                Lost                At Risk             Can't Lose Them  Can't Lose Them
 */
export const RFM_SEGMENTS = [
  'CHAMPIONS',
  'LOYAL',
  'POTENTIAL_LOYALIST',
  'NEW',
  'PROMISING',
  'NEED_ATTENTION',
  'ABOUT_TO_SLEEP',
  'AT_RISK',
  'CANNOT_LOSE_THEM',
  'HIBERNATING',
  'LOST',
] as const;

export type RfmSegmentName = (typeof RFM_SEGMENTS)[number];

export const SEGMENT_DISPLAY_NAMES: Record<RfmSegmentName, string> = {
  CHAMPIONS: 'Champions',
  LOYAL: 'Loyal',
  POTENTIAL_LOYALIST: 'Potential Loyalist',
  NEW: 'New',
  PROMISING: 'Promising',
  NEED_ATTENTION: 'Need Attention',
  ABOUT_TO_SLEEP: 'About to Sleep',
  AT_RISK: 'At Risk',
  CANNOT_LOSE_THEM: "Can't Lose Them",
  HIBERNATING: 'Hibernating',
  LOST: 'Lost',
};

const GRID: Record<number, readonly RfmSegmentName[]> = {
  5: ['NEW', 'POTENTIAL_LOYALIST', 'POTENTIAL_LOYALIST', 'CHAMPIONS', 'CHAMPIONS'],
  4: ['PROMISING', 'POTENTIAL_LOYALIST', 'POTENTIAL_LOYALIST', 'LOYAL', 'CHAMPIONS'],
  3: ['ABOUT_TO_SLEEP', 'ABOUT_TO_SLEEP', 'NEED_ATTENTION', 'LOYAL', 'LOYAL'],
  2: ['HIBERNATING', 'HIBERNATING', 'AT_RISK', 'AT_RISK', 'CANNOT_LOSE_THEM'],
  1: ['LOST', 'LOST', 'AT_RISK', 'CANNOT_LOSE_THEM', 'CANNOT_LOSE_THEM'],
};

function checkScore(name: string, score: number): void {
  if (!Number.isInteger(score) || score < 1 || score > 5) {
    throw new RangeError(`${name} score must be an integer from 1 to 5, got ${score}`);
  }
}

export function segmentOf(r: number, f: number, m: number): RfmSegmentName {
  checkScore('R', r);
  checkScore('F', f);
  checkScore('M', m);
  const fm = Math.floor((f + m) / 2 + 0.5);
  return GRID[r]![fm - 1]!;
}

/** Every cell of the grid: R, FM and its segment (what SQL segments a whole table with). */
export function segmentGrid(): { r: number; fm: number; segment: RfmSegmentName }[] {
  return Object.entries(GRID).flatMap(([r, row]) =>
    row.map((segment, i) => ({ r: Number(r), fm: i + 1, segment })),
  );
}

export function isSegmentName(value: string): value is RfmSegmentName {
  return (RFM_SEGMENTS as readonly string[]).includes(value);
}
