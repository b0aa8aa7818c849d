import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CallTracker, callWork } from '../../src/serving/admission.js';

/**
 * A tracker on a clock the test moves, and a simulated server that keeps `inFlight` calls of
 * one unit of work each for `latencyMs`: by Little's law it completes inFlight / latencyMs
 * units per ms. Returns the calls still in flight, to release later.
 */
function simulation(maxWaitMs = 100) {
  let t = 0;
  const tracker = new CallTracker({ maxInflight: 100_000, maxWaitMs, now: () => t });
  const steady = (inFlight: number, latencyMs: number, durationMs: number) => {
    let calls = Array.from({ length: inFlight }, (_, i) => ({
      release: tracker.admit(1),
      due: t + (latencyMs * (i + 1)) / inFlight,
    }));
    for (const end = t + durationMs; t < end; t++) {
      const due = calls.filter((c) => c.due <= t);
      calls = calls.filter((c) => c.due > t);
      for (const c of due) {
        c.release();
        calls.push({ release: tracker.admit(1), due: t + latencyMs });
      }
    }
    return () => {
      for (const c of calls) c.release();
    };
  };
  return {
    tracker,
    steady,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const code = (fn: () => unknown) => {
  try {
    fn();
    return status.OK;
  } catch (err) {
    return (err as { code: number }).code;
  }
};

describe('admission by expected wait', () => {
  it('admits everything before it has measured a rate', () => {
    const { tracker } = simulation();
    for (let i = 0; i < 1_000; i++) tracker.admit(5);
    expect(tracker.stats.shed).toBe(0);
  });

  it("estimates the wait by Little's law: work in flight over the rate it completes", () => {
    const { tracker, steady } = simulation();
    steady(100, 80, 2_000);
    expect(tracker.expectedWaitMs()).toBeGreaterThan(75);
    expect(tracker.expectedWaitMs()).toBeLessThan(90);
  });

  it('sheds a call whose expected wait exceeds the budget while calls do wait, with RESOURCE_EXHAUSTED', () => {
    const { tracker, steady } = simulation(100);
    steady(100, 80, 2_000);
    // 100 in flight wait about 80 ms: room for about 25 more within 100 ms.
    let admitted = 0;
    while (code(() => tracker.admit(1)) === status.OK) admitted++;
    expect(admitted).toBeGreaterThan(15);
    expect(admitted).toBeLessThan(35);
    expect(tracker.stats.shed).toBe(1);
  });

  it('does not shed while calls finish fast, whatever the rate estimate says (no refusal storm)', () => {
    const { tracker, steady } = simulation(100);
    steady(2, 2, 2_000);
    for (let i = 0; i < 300; i++) tracker.admit(1);
    expect(tracker.expectedWaitMs()).toBeGreaterThan(100);
    expect(tracker.stats.shed).toBe(0);
  });

  it('sheds a call that could not be served before its deadline, even within the budget', () => {
    const { tracker, steady } = simulation(100);
    steady(40, 40, 2_000);
    expect(code(() => tracker.admit(1, Date.now() + 20))).toBe(status.RESOURCE_EXHAUSTED);
    expect(code(() => tracker.admit(1, Date.now() + 80))).toBe(status.OK);
  });

  it('weighs a call of 100 customers as about 5 of one (a fixed part per call, a part per customer)', () => {
    expect(callWork(1)).toBeCloseTo(1.04, 5);
    expect(callWork(100)).toBe(5);
  });

  it('does not take idle time for slowness: the rate is measured over busy stretches only', () => {
    const { tracker, steady, advance } = simulation(100);
    steady(100, 80, 2_000)();
    advance(60_000);
    steady(100, 80, 100);
    expect(tracker.expectedWaitMs()).toBeLessThan(90);
  });

  it('admits a call when nothing is in flight, and recovers within a second from a stall of the host', () => {
    const { tracker, advance } = simulation(100);
    // A stall: 100 calls in flight, none finishing for 2 s, leave a tiny rate and a long latency.
    const stalled = Array.from({ length: 100 }, () => tracker.admit(1));
    advance(2_000);
    for (const release of stalled) release();
    expect(code(() => tracker.admit(1)())).toBe(status.OK);
    // Then a healthy server: each call takes 4 ms; a client tries one call every millisecond.
    let open: { release: () => void; due: number }[] = [];
    const refusedAt: number[] = [];
    for (let ms = 0; ms < 1_000; ms++) {
      for (const c of open.filter((c) => c.due <= ms)) c.release();
      open = open.filter((c) => c.due > ms);
      try {
        open.push({ release: tracker.admit(1), due: ms + 4 });
      } catch {
        refusedAt.push(ms);
      }
      advance(1);
    }
    expect(refusedAt.filter((ms) => ms >= 500)).toEqual([]);
    expect(tracker.expectedWaitMs()).toBeLessThan(10);
  });

  it('never sheds streams (work 0), which pace themselves', () => {
    const { tracker, steady } = simulation(100);
    steady(100, 80, 2_000);
    while (code(() => tracker.admit(1)) === status.OK);
    expect(code(() => tracker.admit(0))).toBe(status.OK);
  });

  it('still refuses beyond the in-flight limit, and everything once closing', () => {
    const tracker = new CallTracker({ maxInflight: 2, maxWaitMs: 0 });
    tracker.admit();
    tracker.admit();
    expect(code(() => tracker.admit())).toBe(status.RESOURCE_EXHAUSTED);
    expect(tracker.stats.refusedAtLimit).toBe(1);
    tracker.close();
    expect(code(() => tracker.admit())).toBe(status.UNAVAILABLE);
  });
});
