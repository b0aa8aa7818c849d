import { Errors } from '../errors.js';

export interface AdmissionOptions {
  /** Most calls in flight; more are refused. */
  maxInflight: number;
  /** Longest expected wait a call is admitted to (0: no shedding by wait). */
  maxWaitMs: number;
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number;
}

export interface AdmissionStats {
  /** Calls refused because their expected wait exceeded the budget or their deadline. */
  shed: number;
  /** Calls refused at the in-flight limit. */
  refusedAtLimit: number;
}

/** A throughput sample covers at least this much continuously busy time. */
const SAMPLE_MS = 200;

/**
 * The work of a call in units of one single-customer call: a fixed part (the HTTP/2 and gRPC
 * handling every call pays) and a part per customer. Measured here: PredictChurn for one
 * customer ran at about 6,000 calls/s and for 100 customers at about 1,200 calls/s, so a call
 * of 100 weighs about 5 of one: 1 + 100 / 25.
 */
export function callWork(rows: number): number {
  return 1 + rows / 25;
}

/**
 * Admission control and drain. Two limits:
 * - at most `maxInflight` calls at once (RESOURCE_EXHAUSTED beyond, never an unbounded queue);
 * - load shedding by expected wait: by Little's law a call admitted now waits about the work in
 *   flight divided by the rate the server completes work, so a call whose expected wait exceeds
 *   `maxWaitMs`, or the time left before its deadline, is refused at once rather than admitted to
 *   wait far longer than its caller would (batch-100 calls at 3x capacity had a p99 of 0.8-1.6 s
 *   for a p50 of 60 ms before this). Work is weighed by `callWork`: counting customers alone
 *   made a server that had just served single-customer calls (whose cost is mostly per call)
 *   judge a burst of 100-customer calls 20 times too slow and shed nearly all of them. The rate
 *   is measured only over continuously busy stretches: an idle server has no queue, and idle
 *   time must not make its capacity look small.
 *   A call is shed only while the calls that just finished did wait: their time in the server
 *   (a moving average) is over half of what this call is allowed. A rate estimate alone went
 *   wrong after a stall of the host, and then fed itself: clients that are refused call again at
 *   once, refusals take the CPU, fewer calls complete, the rate looks lower still. Calls that
 *   finish fast end that, since then no queue stands.
 */
export class CallTracker {
  readonly stats: AdmissionStats = { shed: 0, refusedAtLimit: 0 };
  private inFlight = 0;
  private inFlightWork = 0;
  private closing = false;
  private waiters: (() => void)[] = [];
  /** Work completed per millisecond while busy; 0 until measured. */
  private rate = 0;
  private sampleStart = 0;
  private sampleWork = 0;
  /** Moving average of the time admitted calls spent in the server, in ms. */
  private latency = 0;
  private readonly now: () => number;

  constructor(private readonly options: AdmissionOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  get active(): number {
    return this.inFlight;
  }

  /**
   * Expected wait of a call admitted now, in ms: the work ahead of it over the rate (0 before a
   * rate is measured). Its own work is not waiting, and leaving it out means a server with
   * nothing in flight admits: otherwise a rate made tiny by a stall of the host refused every
   * call for good, and with none admitted no new rate could be measured.
   */
  expectedWaitMs(): number {
    return this.rate > 0 ? this.inFlightWork / this.rate : 0;
  }

  /**
   * Admits a call or throws; the returned function must be called once when it ends. `work` 0
   * (streams) is never shed by wait: a stream lasts as long as its reader and paces itself.
   */
  admit(work = 1, deadline = Number.POSITIVE_INFINITY): () => void {
    if (this.closing) throw Errors.shuttingDown();
    if (this.inFlight >= this.options.maxInflight) {
      this.stats.refusedAtLimit++;
      throw Errors.overloaded(this.options.maxInflight);
    }
    if (work > 0 && this.options.maxWaitMs > 0) {
      const expected = this.expectedWaitMs();
      const allowed = Math.min(this.options.maxWaitMs, deadline - Date.now());
      if (expected > allowed && this.latency > allowed / 2) {
        this.stats.shed++;
        throw Errors.shed(expected, allowed);
      }
    }
    if (this.inFlight === 0) {
      this.sampleStart = this.now();
      this.sampleWork = 0;
    }
    this.inFlight++;
    this.inFlightWork += work;
    const admittedAt = this.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.inFlightWork -= work;
      if (work > 0) this.completed(work, this.now() - admittedAt);
      if (this.inFlight === 0) for (const w of this.waiters.splice(0)) w();
    };
  }

  close(): void {
    this.closing = true;
  }

  drained(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private completed(work: number, latencyMs: number): void {
    this.latency = this.latency > 0 ? 0.9 * this.latency + 0.1 * latencyMs : latencyMs;
    this.sampleWork += work;
    const now = this.now();
    const elapsed = now - this.sampleStart;
    if (elapsed >= SAMPLE_MS) {
      const sample = this.sampleWork / elapsed;
      this.rate = this.rate > 0 ? 0.5 * this.rate + 0.5 * sample : sample;
      this.sampleStart = now;
      this.sampleWork = 0;
    }
    // An idle server starts its next sample when work arrives again.
  }
}
