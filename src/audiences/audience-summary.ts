/**
 * What a marketer reads of a list before exporting it: how many customers, the distribution of
 * their scores and how they spread over segments and tiers. Memory is bounded whatever the list's
 * length: fixed bins where the score's range is known, otherwise a fixed-size sample.
 */
export interface AudienceSummary {
  count: number;
  holdout: number;
  histogram: { from: number; to: number; counts: number[] };
  /** Customers per segment and tier, largest first. */
  breakdown: { segment: string; tier: string; count: number }[];
}

export const HISTOGRAM_BINS = 20;
/** Scores kept to bin a range not known in advance (a value such as lifetime value). */
const SAMPLE_SIZE = 10_000;
const MAX_CELLS = 1_000;

export class SummaryBuilder {
  private count = 0;
  private holdout = 0;
  private readonly bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  private readonly sample: number[] = [];
  private seen = 0;
  private readonly cells = new Map<string, number>();
  /** A deterministic draw for the sample (xorshift32), so one list always summarises alike. */
  private state = 0x9e3779b9;

  /** `range`: the scores' bounds when known (probabilities 0 to 1, uplift -1 to 1). */
  constructor(private readonly range: readonly [number, number] | undefined) {}

  add(score: number, segment: string, tier: string, holdout: boolean): void {
    this.count++;
    if (holdout) this.holdout++;
    const key = `${segment}\u0000${tier}`;
    if (this.cells.has(key) || this.cells.size < MAX_CELLS)
      this.cells.set(key, (this.cells.get(key) ?? 0) + 1);
    if (!Number.isFinite(score)) return;
    if (this.range) {
      const [from, to] = this.range;
      const bin = Math.floor(((score - from) / (to - from)) * HISTOGRAM_BINS);
      this.bins[Math.min(HISTOGRAM_BINS - 1, Math.max(0, bin))]!++;
      return;
    }
    // Reservoir sampling: every score seen has the same chance to be in the sample.
    this.seen++;
    if (this.sample.length < SAMPLE_SIZE) this.sample.push(score);
    else {
      const j = this.next() % this.seen;
      if (j < SAMPLE_SIZE) this.sample[j] = score;
    }
  }

  private next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  summary(): AudienceSummary {
    const breakdown = [...this.cells]
      .map(([key, count]) => {
        const [segment = '', tier = ''] = key.split('\u0000');
        return { segment, tier, count };
      })
      .sort((a, b) => b.count - a.count || (a.segment + a.tier < b.segment + b.tier ? -1 : 1));
    return { count: this.count, holdout: this.holdout, histogram: this.histogram(), breakdown };
  }

  private histogram(): AudienceSummary['histogram'] {
    if (this.range) return { from: this.range[0], to: this.range[1], counts: [...this.bins] };
    // Bins over the sample's range, scaled to the scores seen (a sample's counts, not exact ones).
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    if (this.sample.length === 0) return { from: 0, to: 0, counts };
    let from = Number.POSITIVE_INFINITY;
    let to = Number.NEGATIVE_INFINITY;
    for (const s of this.sample) {
      from = Math.min(from, s);
      to = Math.max(to, s);
    }
    const width = to - from || 1;
    for (const s of this.sample)
      counts[Math.min(HISTOGRAM_BINS - 1, Math.floor(((s - from) / width) * HISTOGRAM_BINS))]!++;
    const scale = this.seen / this.sample.length;
    return { from, to, counts: counts.map((c) => Math.round(c * scale)) };
  }
}
