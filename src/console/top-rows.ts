/**
 * One row of a campaign list: who, which version scored them, the score, and what a marketer reads
 * beside it: the risk band (binary models), the top label or item (classes, rankings), the unit
 * (a regression's currency or unit), the customer's RFM segment and tier.
 */
export type CampaignRow = [
  customerId: string,
  version: string,
  score: number,
  band: string,
  top: string,
  unit: string,
  segment: string,
  tier: string,
];

/** The N highest-scoring rows seen, held in a bounded min-heap (ties: the lower id wins). */
export class TopRows {
  private readonly heap: CampaignRow[] = [];
  constructor(private readonly n: number | undefined) {}

  private less(a: CampaignRow, b: CampaignRow): boolean {
    return a[2] < b[2] || (a[2] === b[2] && a[0] > b[0]);
  }

  offer(row: CampaignRow): void {
    const h = this.heap;
    if (this.n === undefined) return;
    if (h.length < this.n) {
      h.push(row);
      for (let i = h.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!this.less(h[i]!, h[parent]!)) break;
        [h[i], h[parent]] = [h[parent]!, h[i]!];
        i = parent;
      }
      return;
    }
    if (!this.less(h[0]!, row)) return;
    h[0] = row;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }

  sorted(): CampaignRow[] {
    return [...this.heap].sort((a, b) => (this.less(a, b) ? 1 : this.less(b, a) ? -1 : 0));
  }
}
