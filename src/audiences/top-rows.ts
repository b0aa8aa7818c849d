/**
 * The N highest-scoring rows seen, held in a bounded min-heap (ties: the lower id wins), so a
 * top N list over any base holds N rows at most.
 */
export class TopRows<T> {
  private readonly heap: T[] = [];
  constructor(
    private readonly n: number,
    private readonly score: (row: T) => number,
    private readonly id: (row: T) => string,
  ) {}

  /** Whether a ranks below b (a lower score, or the same score and a higher id). */
  private less(a: T, b: T): boolean {
    const sa = this.score(a);
    const sb = this.score(b);
    return sa < sb || (sa === sb && this.id(a) > this.id(b));
  }

  offer(row: T): void {
    const h = this.heap;
    if (!Number.isFinite(this.score(row))) return;
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

  /** The rows held, best first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => (this.less(a, b) ? 1 : this.less(b, a) ? -1 : 0));
  }
}
