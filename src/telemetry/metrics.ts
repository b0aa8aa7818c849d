import { type Counter, diag, type Histogram, type Meter } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { type Agreement, AgreementTally } from './agreement.js';
import { type DriftReports, observeDrift } from './drift-gauges.js';
import type { BatchObserver, QueryObserver, RpcObserver, ShadowObserver } from './observers.js';
import { observeViews } from './view-gauges.js';

/** Latency buckets in seconds: 100 us to 10 s. */
const SECONDS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
const ROWS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/**
 * What the scrape reads from the components, by shape only: telemetry imports none of them (they
 * import its observers), so the dependency runs one way.
 */
export interface MetricsSources {
  /** The feature views a server last read: each view's materialization time and rows. */
  views?: {
    latest():
      | ReadonlyMap<string, { materializedAt: string | undefined; rows: number | undefined }>
      | undefined;
  };
  lookup: {
    readonly stats: {
      readonly hits: number;
      readonly negativeHits: number;
      readonly misses: number;
      readonly evictions: number;
      readonly coalesced: number;
    };
  };
  store: { readonly stats: { readonly rowQueries: number } };
  pool: {
    readonly alive: number;
    readonly busy: number;
    readonly stats: { readonly workerFailures: number; readonly recycles: number };
  };
  registry: {
    list(): { name: string; versions: string[]; serving: { version: string } }[];
    resolve(name: string, version: string): { scheduler: { readonly depth: number } };
  };
  /** Calls refused by admission control. */
  admission: { readonly shed: number; readonly refusedAtLimit: number };
  /** Messages of server streams waiting for their sockets. */
  streams: { readonly buffered: number };
  /** The prediction log, when on. */
  predictionLog?: {
    readonly stats: {
      readonly written: number;
      readonly notSampled: number;
      readonly droppedQueueFull: number;
      readonly droppedSinkError: number;
      readonly queued: number;
    };
  };
  /** Drift of the served rows against the models' references, when on. */
  drift?: DriftReports;
}

/** Upper bounds of the output-value buckets: probabilities in tenths, larger values by decade. */
const OUTPUT_BOUNDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 10, 100, 1_000, 10_000];
/** Outputs wider than this (a large catalogue) are not tallied by top class: label cardinality. */
const MAX_TOP1_CLASSES = 64;

interface OutputTally {
  model: string;
  version: string;
  /** Rows per value bucket (OUTPUT_BOUNDS, then +Inf), for single-output models. */
  values: Float64Array;
  /** Rows per top-scoring output index, for multi-output models. */
  top1: Map<number, number>;
}

interface ShadowTally {
  labels: { model: string; model_version: string; shadow_version: string };
  tally: AgreementTally;
}

/**
 * The server's metrics through OpenTelemetry, read as Prometheus text (served at
 * /metrics by metrics-endpoint.ts, from this process or gathered from every server process).
 * Names follow Prometheus conventions: the unit ends the name (`_seconds`, `_rows`; this exporter
 * version does not append units itself) and the exporter adds `_total` to counters.
 */
export class ServerMetrics implements RpcObserver, QueryObserver, BatchObserver, ShadowObserver {
  private readonly rpcDuration: Histogram;
  private readonly batchSize: Histogram;
  private readonly queueWait: Histogram;
  private readonly inferenceDuration: Histogram;
  private readonly dropped: Counter;
  private readonly queryDuration: Histogram;
  private readonly queryErrors: Counter;
  private readonly outputTallies = new Map<string, OutputTally>();
  private readonly shadowTallies = new Map<string, ShadowTally>();
  private readonly shadowDropped = new Map<string, { labels: Record<string, string>; rows: number }>();

  private readonly serializer = new PrometheusSerializer();

  private constructor(
    private readonly meter: Meter,
    private readonly provider: MeterProvider,
    private readonly exporter: PrometheusExporter,
  ) {
    const m = meter;
    this.rpcDuration = m.createHistogram('loyalty.rpc.duration.seconds', {
      unit: 's',
      description: 'RPC latency in the server, by method and gRPC status code',
      advice: { explicitBucketBoundaries: SECONDS },
    });
    this.batchSize = m.createHistogram('loyalty.inference.batch.size.rows', {
      description: 'Rows per inference batch',
      advice: { explicitBucketBoundaries: ROWS },
    });
    this.queueWait = m.createHistogram('loyalty.inference.queue.wait.seconds', {
      unit: 's',
      description: 'Time a request waited in its batching queue',
      advice: { explicitBucketBoundaries: SECONDS },
    });
    this.inferenceDuration = m.createHistogram('loyalty.inference.duration.seconds', {
      unit: 's',
      description: 'Time one batch took in a worker, round trip',
      advice: { explicitBucketBoundaries: SECONDS },
    });
    this.dropped = m.createCounter('loyalty.inference.dropped', {
      description: 'Requests dropped before inference because the caller was gone (deadline, cancel)',
    });
    this.queryDuration = m.createHistogram('loyalty.db.query.duration.seconds', {
      unit: 's',
      description: 'Feature store read latency',
      advice: { explicitBucketBoundaries: SECONDS },
    });
    this.queryErrors = m.createCounter('loyalty.db.query.errors', {
      description: 'Feature store reads that failed',
    });
  }

  /** The meters, read by `text()`; where that text is served is the caller's choice. */
  static create(): ServerMetrics {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({
      readers: [exporter],
      resource: resourceFromAttributes({ 'service.name': 'loyalty-inference' }),
    });
    return new ServerMetrics(provider.getMeter('loyalty-inference'), provider, exporter);
  }

  /** The Prometheus text exposition of every metric now. */
  async text(): Promise<string> {
    const { resourceMetrics, errors } = await this.exporter.collect();
    if (errors.length > 0) diag.error('metrics collection errors', ...errors);
    return this.serializer.serialize(resourceMetrics);
  }

  /** One histogram per call: its _count is the request counter (one attribute hash, not two). */
  onRpc(method: string, code: number, seconds: number, caller?: string): void {
    const attributes =
      caller === undefined
        ? { 'rpc.method': method, 'rpc.grpc.status_code': code }
        : { 'rpc.method': method, 'rpc.grpc.status_code': code, caller };
    this.rpcDuration.record(seconds, attributes);
  }

  onQuery(seconds: number, ok: boolean): void {
    this.queryDuration.record(seconds);
    if (!ok) this.queryErrors.add(1);
  }

  onBatch(model: string, version: string, rows: number, waits: readonly number[], seconds: number): void {
    const attributes = { model, model_version: version };
    this.batchSize.record(rows, attributes);
    // No attributes: this is recorded once per request, and hashing attributes is most of a
    // record's cost (bench/metrics-cost.js); per-model queueing shows in the queue depth gauge.
    for (const w of waits) this.queueWait.record(w);
    this.inferenceDuration.record(seconds, attributes);
  }

  onDropped(model: string, version: string, requests: number): void {
    this.dropped.add(requests, { model, model_version: version });
  }

  /**
   * Tallied here and read at each scrape, not recorded per row: a histogram record per prediction
   * hashes its attributes each time, most of a record's cost (bench/metrics-cost.js).
   */
  onOutputs(model: string, version: string, outputs: Float32Array, width: number): void {
    const key = `${model}\u0000${version}`;
    let tally = this.outputTallies.get(key);
    if (!tally) {
      tally = { model, version, values: new Float64Array(OUTPUT_BOUNDS.length + 1), top1: new Map() };
      this.outputTallies.set(key, tally);
    }
    const rows = outputs.length / width;
    if (width === 1) {
      for (let r = 0; r < rows; r++) {
        const v = outputs[r]!;
        let b = 0;
        while (b < OUTPUT_BOUNDS.length && v > OUTPUT_BOUNDS[b]!) b++;
        tally.values[b]!++;
      }
      return;
    }
    if (width > MAX_TOP1_CLASSES) return;
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let j = 1; j < width; j++) if (outputs[r * width + j]! > outputs[r * width + best]!) best = j;
      tally.top1.set(best, (tally.top1.get(best) ?? 0) + 1);
    }
  }

  onShadowCompared(model: string, version: string, shadowVersion: string, agreement: Agreement): void {
    const key = `${model}\u0000${version}\u0000${shadowVersion}`;
    let t = this.shadowTallies.get(key);
    if (!t) {
      t = {
        labels: { model, model_version: version, shadow_version: shadowVersion },
        tally: new AgreementTally(),
      };
      this.shadowTallies.set(key, t);
    }
    t.tally.add(agreement);
  }

  onShadowDropped(model: string, shadowVersion: string, reason: string, rows: number): void {
    const key = `${model}\u0000${shadowVersion}\u0000${reason}`;
    const entry = this.shadowDropped.get(key) ?? {
      labels: { model, shadow_version: shadowVersion, reason },
      rows: 0,
    };
    entry.rows += rows;
    this.shadowDropped.set(key, entry);
  }

  /** The shadow comparisons: counters for windowed rates, and their means since start. */
  private observeShadows(): void {
    const m = this.meter;
    const tallies = () => this.shadowTallies.values();
    m.createObservableCounter('loyalty.shadow.compared.rows', {
      description: 'Rows answered by the serving version and scored again by its shadow',
    }).addCallback((o) => {
      for (const t of tallies()) o.observe(t.tally.rows, t.labels);
    });
    m.createObservableCounter('loyalty.shadow.abs.difference.sum', {
      description:
        'Sum over compared rows of |serving - shadow| (probability, regression value, or mean over outputs)',
    }).addCallback((o) => {
      for (const t of tallies())
        if (t.tally.differenceRows > 0) o.observe(t.tally.absDifferenceSum, t.labels);
    });
    m.createObservableGauge('loyalty.shadow.mean.abs.difference', {
      description: 'Mean absolute difference between the serving version and its shadow, since start',
    }).addCallback((o) => {
      for (const t of tallies()) {
        const mean = t.tally.meanAbsDifference;
        if (mean !== null) o.observe(mean, t.labels);
      }
    });
    m.createObservableCounter('loyalty.shadow.top1.agreements', {
      description: 'Compared rows whose top label is the same in the serving version and its shadow',
    }).addCallback((o) => {
      for (const t of tallies()) if (t.tally.top1Rows > 0) o.observe(t.tally.top1Agreements, t.labels);
    });
    m.createObservableGauge('loyalty.shadow.top1.agreement.ratio', {
      description: 'Share of compared rows with the same top label in both versions, since start',
    }).addCallback((o) => {
      for (const t of tallies()) {
        const ratio = t.tally.top1AgreementRatio;
        if (ratio !== null) o.observe(ratio, t.labels);
      }
    });
    m.createObservableCounter('loyalty.shadow.dropped.rows', {
      description: 'Rows not shadow-scored: busy (work queued), full (in-flight bound), inputs, failed',
    }).addCallback((o) => {
      for (const d of this.shadowDropped.values()) o.observe(d.rows, d.labels);
    });
  }

  /** Gauges and counters read from their owners at each scrape. */
  observe(sources: MetricsSources): void {
    const m = this.meter;
    const { lookup, store, pool, registry, admission, streams, predictionLog, drift } = sources;
    this.observeShadows();
    if (drift) observeDrift(m, drift);
    if (predictionLog) {
      const stats = predictionLog.stats;
      m.createObservableCounter('loyalty.prediction.log.records', {
        description:
          'Served rows by what became of them in the prediction log: written, not_sampled, dropped (queue_full: the sink lags; sink_error: a write failed)',
      }).addCallback((o) => {
        o.observe(stats.written, { outcome: 'written' });
        o.observe(stats.notSampled, { outcome: 'not_sampled' });
        o.observe(stats.droppedQueueFull, { outcome: 'dropped', reason: 'queue_full' });
        o.observe(stats.droppedSinkError, { outcome: 'dropped', reason: 'sink_error' });
      });
      m.createObservableGauge('loyalty.prediction.log.queued.records', {
        description: 'Records waiting for the prediction log sink',
      }).addCallback((o) => o.observe(stats.queued));
    }
    if (sources.views) observeViews(m, sources.views);
    m.createObservableCounter('loyalty.feature.cache.hits', {
      description: 'Feature cache hits (found and not-found)',
    }).addCallback((o) => o.observe(lookup.stats.hits + lookup.stats.negativeHits));
    m.createObservableCounter('loyalty.feature.cache.misses', {
      description: 'Feature cache misses',
    }).addCallback((o) => o.observe(lookup.stats.misses));
    m.createObservableCounter('loyalty.feature.cache.evictions', {
      description: 'Feature cache evictions by size',
    }).addCallback((o) => o.observe(lookup.stats.evictions));
    m.createObservableCounter('loyalty.feature.cache.coalesced', {
      description: 'Lookups that joined a query already in flight',
    }).addCallback((o) => o.observe(lookup.stats.coalesced));
    m.createObservableCounter('loyalty.db.queries', {
      description: 'Feature store row reads (one SQL query each)',
    }).addCallback((o) => o.observe(store.stats.rowQueries));
    m.createObservableGauge('loyalty.inference.workers', {
      description: 'Inference workers alive',
    }).addCallback((o) => o.observe(pool.alive));
    m.createObservableGauge('loyalty.inference.workers.busy', {
      description: 'Inference workers running a batch',
    }).addCallback((o) => o.observe(pool.busy));
    m.createObservableCounter('loyalty.inference.worker.failures', {
      description: 'Batches whose worker died or hung',
    }).addCallback((o) => o.observe(pool.stats.workerFailures));
    m.createObservableCounter('loyalty.inference.worker.recycles', {
      description: 'Times every worker was replaced by a fresh thread to return unloaded models memory',
    }).addCallback((o) => o.observe(pool.stats.recycles));
    m.createObservableGauge('loyalty.inference.queue.depth.rows', {
      description: 'Rows waiting in each batching queue',
    }).addCallback((o) => {
      for (const model of registry.list()) {
        for (const version of model.versions) {
          const served = registry.resolve(model.name, version);
          o.observe(served.scheduler.depth, { model: model.name, model_version: version });
        }
      }
    });
    m.createObservableCounter('loyalty.admission.shed', {
      description: 'Calls refused because their expected wait exceeded the budget or their deadline',
    }).addCallback((o) => o.observe(admission.shed));
    m.createObservableCounter('loyalty.admission.refused', {
      description: 'Calls refused at the in-flight limit',
    }).addCallback((o) => o.observe(admission.refusedAtLimit));
    m.createObservableGauge('loyalty.stream.buffered.messages', {
      description: 'ScoreCustomers messages waiting for their sockets, all streams',
    }).addCallback((o) => o.observe(streams.buffered));
    m.createObservableGauge('loyalty.process.memory.bytes', {
      description: 'Memory of the server process (all its threads): rss, and the main thread V8 heap',
    }).addCallback((o) => {
      const usage = process.memoryUsage();
      o.observe(usage.rss, { kind: 'rss' });
      o.observe(usage.heapUsed, { kind: 'heap_used' });
      o.observe(usage.heapTotal, { kind: 'heap_total' });
      o.observe(usage.external, { kind: 'external' });
      o.observe(usage.arrayBuffers, { kind: 'array_buffers' });
    });
    m.createObservableCounter('loyalty.model.outputs', {
      description:
        'Predictions by model version and output: le = upper bound of the value bucket (single-output models; not cumulative), top1 = index of the highest output (others)',
    }).addCallback((o) => {
      for (const t of this.outputTallies.values()) {
        const base = { model: t.model, model_version: t.version };
        t.values.forEach((n, b) => {
          if (n > 0)
            o.observe(n, { ...base, le: b < OUTPUT_BOUNDS.length ? String(OUTPUT_BOUNDS[b]) : '+Inf' });
        });
        for (const [index, n] of t.top1) o.observe(n, { ...base, top1: String(index) });
      }
    });
    m.createObservableGauge('loyalty.models.loaded', {
      description:
        'Loaded model versions (1 each); serving="true" marks the version answering calls without a version',
    }).addCallback((o) => {
      for (const model of registry.list()) {
        for (const version of model.versions) {
          o.observe(1, {
            model: model.name,
            model_version: version,
            serving: String(version === model.serving.version),
          });
        }
      }
    });
  }

  async close(): Promise<void> {
    await this.provider.shutdown();
  }
}
