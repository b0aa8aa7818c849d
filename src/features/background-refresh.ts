/**
 * A value read from the store and re-read every refreshMs. The first read is awaited (and
 * retried at the next call when it fails). Once there is a value, a due re-read runs in the
 * background and the call does not wait for it: the request path asks on every call, and during
 * a database outage it must not wait for a query timeout to be told what it already knows (a
 * failed re-read keeps the value, and waits a refresh period before the next try).
 */
export class BackgroundRefresh<T> {
  private value: T | undefined;
  private loadedAt = 0;
  private loading: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly refreshMs: number,
  ) {}

  async current(): Promise<T> {
    if (this.value !== undefined) {
      if (Date.now() - this.loadedAt >= this.refreshMs) void this.refresh().catch(() => {});
      return this.value;
    }
    return this.refresh();
  }

  /** The value as last read, without waiting (a due re-read starts in the background). */
  latest(): T | undefined {
    void this.current().catch(() => {});
    return this.value;
  }

  private refresh(): Promise<T> {
    this.loading ??= this.load()
      .then((value) => {
        this.value = value;
        return value;
      })
      .finally(() => {
        this.loadedAt = Date.now();
        this.loading = undefined;
      });
    return this.loading;
  }
}
