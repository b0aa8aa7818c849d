import { type Agreement, AgreementTally } from '../telemetry/agreement.js';
import type { BatchObserver, RpcObserver, ShadowObserver } from '../telemetry/observers.js';

/** The most recent samples a percentile is taken over. */
const SAMPLES = 1_024;

/** A fixed window of the last SAMPLES values. */
class Recent {
  private readonly values = new Float64Array(SAMPLES);
  private count = 0;

  add(value: number): void {
    this.values[this.count % SAMPLES] = value;
    this.count++;
  }

  /** The p-th percentile (0-1) of the window, or null when empty. */
  percentile(p: number): number | null {
    const n = Math.min(this.count, SAMPLES);
    if (n === 0) return null;
    const sorted = this.values.slice(0, n).sort();
    return sorted[Math.min(n - 1, Math.floor(p * n))]!;
  }
}

interface VersionTally {
  model: string;
  version: string;
  rows: number;
  batches: number;
  dropped: number;
  inferenceMs: Recent;
}

interface MethodTally {
  calls: number;
  errors: number;
  latencyMs: Recent;
}

interface ShadowTally {
  model: string;
  version: string;
  shadowVersion: string;
  tally: AgreementTally;
  dropped: number;
}

export interface VersionFigures {
  model: string;
  version: string;
  /** Cumulative: the page charts their rates between two snapshots. */
  rows: number;
  batches: number;
  dropped: number;
  inferenceP50Ms: number | null;
  inferenceP99Ms: number | null;
}

export interface MethodFigures {
  method: string;
  calls: number;
  errors: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface ShadowFigures {
  model: string;
  version: string;
  shadowVersion: string;
  rows: number;
  meanAbsDifference: number | null;
  top1Agreement: number | null;
  dropped: number;
}

/**
 * What the console's live page charts, kept in process: per model version its rows, batches,
 * drops and recent inference times; per RPC method its calls, errors and recent latencies; per
 * shadow its agreement. Cumulative counts and percentiles of the last 1,024 samples, read by
 * polling; bounded by the loaded versions, the service methods and the shadows configured.
 */
export class LiveStats implements BatchObserver, RpcObserver, ShadowObserver {
  private readonly versions = new Map<string, VersionTally>();
  private readonly methods = new Map<string, MethodTally>();
  private readonly shadows = new Map<string, ShadowTally>();

  private version(model: string, version: string): VersionTally {
    const key = `${model}\u0000${version}`;
    let t = this.versions.get(key);
    if (!t) {
      t = { model, version, rows: 0, batches: 0, dropped: 0, inferenceMs: new Recent() };
      this.versions.set(key, t);
    }
    return t;
  }

  onBatch(model: string, version: string, rows: number, _waits: readonly number[], seconds: number): void {
    const t = this.version(model, version);
    t.rows += rows;
    t.batches++;
    t.inferenceMs.add(seconds * 1000);
  }

  onDropped(model: string, version: string, requests: number): void {
    this.version(model, version).dropped += requests;
  }

  onOutputs(): void {}

  onRpc(method: string, code: number, seconds: number): void {
    let t = this.methods.get(method);
    if (!t) {
      t = { calls: 0, errors: 0, latencyMs: new Recent() };
      this.methods.set(method, t);
    }
    t.calls++;
    if (code !== 0) t.errors++;
    t.latencyMs.add(seconds * 1000);
  }

  private shadow(model: string, version: string, shadowVersion: string): ShadowTally {
    const key = `${model}\u0000${version}\u0000${shadowVersion}`;
    let t = this.shadows.get(key);
    if (!t) {
      t = {
        model,
        version,
        shadowVersion,
        tally: new AgreementTally(),
        dropped: 0,
      };
      this.shadows.set(key, t);
    }
    return t;
  }

  onShadowCompared(model: string, version: string, shadowVersion: string, agreement: Agreement): void {
    this.shadow(model, version, shadowVersion).tally.add(agreement);
  }

  onShadowDropped(model: string, shadowVersion: string, _reason: string, rows: number): void {
    // Dropped rows are counted against the pair last compared for this shadow, or a pair of its own.
    const pair = [...this.shadows.values()].find(
      (s) => s.model === model && s.shadowVersion === shadowVersion,
    );
    (pair ?? this.shadow(model, '', shadowVersion)).dropped += rows;
  }

  snapshot(): { versions: VersionFigures[]; methods: MethodFigures[]; shadows: ShadowFigures[] } {
    return {
      versions: [...this.versions.values()].map((t) => ({
        model: t.model,
        version: t.version,
        rows: t.rows,
        batches: t.batches,
        dropped: t.dropped,
        inferenceP50Ms: t.inferenceMs.percentile(0.5),
        inferenceP99Ms: t.inferenceMs.percentile(0.99),
      })),
      methods: [...this.methods].map(([method, t]) => ({
        method,
        calls: t.calls,
        errors: t.errors,
        p50Ms: t.latencyMs.percentile(0.5),
        p99Ms: t.latencyMs.percentile(0.99),
      })),
      shadows: [...this.shadows.values()].map((t) => ({
        model: t.model,
        version: t.version,
        shadowVersion: t.shadowVersion,
        rows: t.tally.rows,
        meanAbsDifference: t.tally.meanAbsDifference,
        top1Agreement: t.tally.top1AgreementRatio,
        dropped: t.dropped,
      })),
    };
  }
}
