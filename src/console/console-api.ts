import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { ModelDrift } from '../drift/drift-monitor.js';
import { Errors } from '../errors.js';
import type { FeatureLookup } from '../features/feature-lookup.js';
import { FEATURE_NAMES } from '../features/feature-set.js';
import type { FeatureSetCatalog } from '../features/feature-set-catalog.js';
import type { ModelPrediction } from '../generated/loyalty/v1/ModelPrediction.js';
import type { RfmSegment__Output } from '../generated/loyalty/v1/RfmSegment.js';
import type { ScoreCustomersResponse } from '../generated/loyalty/v1/ScoreCustomersResponse.js';
import type { ModelRegistry } from '../models/model-registry.js';
import type { ShadowScoring } from '../models/shadow-scoring.js';
import { HttpError, send } from '../server/http-json.js';
import type { PredictionEndpoints } from '../server/prediction-endpoints.js';
import type { RfmEndpoints } from '../server/rfm-endpoints.js';
import { parseScoreRequest } from '../server/score-request.js';
import type { LiveStats } from './live-stats.js';
import { modelCardHtml } from './model-card-html.js';
import { type CampaignRow, TopRows } from './top-rows.js';

export interface ConsoleDeps {
  registry: ModelRegistry;
  predictions: PredictionEndpoints;
  rfm: RfmEndpoints;
  lookup: FeatureLookup;
  catalog: FeatureSetCatalog;
  live: LiveStats;
  shadow: ShadowScoring;
  pool: { readonly alive: number; readonly busy: number; readonly queued: number };
  admission: { readonly shed: number; readonly refusedAtLimit: number };
  modelsDir: string;
  /** Drift of the served rows, when on. */
  drift?: { report(): ModelDrift[] };
}

/** A campaign list's top N: at most this many rows are held while the base is ranked. */
export const MAX_CAMPAIGN_TOP = 10_000;
const CALL_TIMEOUT_MS = 60_000;
const PLOT_FILE = /^[A-Za-z0-9_-]{1,64}\.svg$/;

/**
 * The console's JSON, a thin adapter over the components the gRPC services use: the registry's
 * state, the prediction core's answers for one customer (the same functions, so the same numbers
 * as the API), campaign lists scored by the same stream as ScoreCustomers, and live figures.
 *
 *   GET /console/api/models                          every model and version, state, manifest
 *   GET /console/api/models/{name}/{version}/card    the model card as HTML
 *   GET /console/api/models/{name}/{version}/files/{plot}.svg
 *   GET /console/api/customers/{id}                  every model's answer, RFM, features
 *   GET /console/api/campaign?model=&segments=&tiers=&threshold=&top=&preview=   NDJSON progress
 *   GET /console/api/live                            cumulative figures to chart by polling
 */
export class ConsoleApi {
  constructor(private readonly deps: ConsoleDeps) {}

  async route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method !== 'GET')
      throw new HttpError(405, `${req.method} is not allowed on ${path.slice(0, 100)}`);
    const url = new URL(req.url ?? '/', 'http://console');
    const parts = path.split('/').slice(3).map(decodeSegment);
    if (parts[0] === 'models' && parts.length === 1) return send(res, 200, this.models());
    if (parts[0] === 'models' && parts.length === 4 && parts[3] === 'card')
      return send(res, 200, { html: this.card(parts[1]!, parts[2]!) });
    if (parts[0] === 'models' && parts.length === 5 && parts[3] === 'files') return this.plot(res, parts);
    if (parts[0] === 'customers' && parts.length === 2)
      return send(res, 200, await this.customer(parts[1]!, res));
    if (parts[0] === 'campaign' && parts.length === 1) return this.campaign(url.searchParams, res);
    if (parts[0] === 'live' && parts.length === 1) return send(res, 200, await this.liveFigures());
    throw new HttpError(404, `no such endpoint: GET ${path.slice(0, 100)}`);
  }

  private models() {
    const { registry } = this.deps;
    const drifts = new Map((this.deps.drift?.report() ?? []).map((d) => [`${d.model}/${d.version}`, d]));
    const refused = registry.refusedVersions();
    const loading = registry.loadingVersions();
    return {
      policy: registry.servingPolicy,
      models: registry.list().map((m) => ({
        name: m.name,
        serving: m.serving.version,
        canary: m.canary ?? null,
        shadow: m.shadow ?? null,
        versions: m.versions.map((version) => {
          const v = registry.resolve(m.name, version);
          const state =
            version === m.serving.version
              ? 'serving'
              : version === m.canary?.version
                ? 'canary'
                : version === m.shadow
                  ? 'shadow'
                  : 'loaded';
          return {
            version,
            state,
            outputKind: v.manifest.output.kind,
            labels: v.manifest.output.labels,
            inputs: v.manifest.inputs,
            fedByStore: v.featureIndex !== undefined,
            metrics: v.manifest.metrics,
            batching: v.batching,
            createdAt: v.manifest.createdAt,
            description: v.manifest.description ?? '',
            hasCard: existsSync(this.versionFile(m.name, version, 'MODEL_CARD.md')),
            drift: driftOf(drifts.get(`${m.name}/${version}`)),
          };
        }),
        refused: refused.filter((r) => r.name === m.name).map(({ version, reason }) => ({ version, reason })),
        loading: loading.filter((l) => l.name === m.name).map((l) => l.version),
      })),
      // Versions of names with nothing loaded yet.
      loading: loading.filter((l) => !registry.has(l.name)),
      // Refused versions of names with nothing loaded.
      refused: refused.filter((r) => !registry.has(r.name)),
    };
  }

  /** A loaded version's file (NOT_FOUND for a name or version not loaded). */
  private versionFile(name: string, version: string, file: string): string {
    const model = this.deps.registry.resolve(name, version);
    return join(this.deps.modelsDir, model.name, model.version, file);
  }

  private card(name: string, version: string): string {
    const path = this.versionFile(name, version, 'MODEL_CARD.md');
    if (!existsSync(path)) throw new HttpError(404, `model ${name} version ${version} has no model card`);
    const base = `/console/api/models/${encodeURIComponent(name)}/${encodeURIComponent(version)}/files/`;
    return modelCardHtml(readFileSync(path, 'utf8'), (file) => base + encodeURIComponent(file));
  }

  private plot(res: ServerResponse, parts: string[]): void {
    const [, name, version, , file] = parts as [string, string, string, string, string];
    if (!PLOT_FILE.test(file)) throw new HttpError(404, 'plots are .svg files of the version folder');
    const path = this.versionFile(name, version, file);
    if (!existsSync(path)) throw new HttpError(404, `no plot ${file}`);
    const svg = readFileSync(path);
    res.writeHead(200, {
      'content-type': 'image/svg+xml',
      'content-length': svg.length,
      // Shown as images; should one be opened directly, nothing in it may run.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
    res.end(svg);
  }

  /** What every model fed by the store says about one customer, through the prediction core. */
  private async customer(id: string, res: ServerResponse) {
    const signal = callSignal(res);
    const customers = [{ customerId: id, subject: 'customerId' as const }];
    // getRfm validates the id as every per-customer RPC does (INVALID_ARGUMENT when malformed).
    const rfm = await this.deps.rfm.getRfm({ customers }, signal);
    const first = rfm.results?.[0];
    if (first?.error)
      throw new HttpError(404, first.error.message ?? `customer ${id} is not in the feature store`);
    const { info } = await this.deps.catalog.current();
    const row = (await this.deps.lookup.getMany([id])).get(id);
    const models = [];
    for (const m of this.deps.registry.list()) {
      if (!m.serving.featureIndex) continue;
      const answer = await this.deps.predictions.predictCustomers(
        // Reason codes beside each score, from models whose manifest lets them be explained.
        {
          modelName: m.name,
          version: '',
          customers,
          topK: 3,
          explain: m.serving.manifest.explanation !== undefined,
        },
        signal,
      );
      const result = answer.results?.[0];
      models.push({
        name: m.name,
        version: result?.modelVersion ?? m.serving.version,
        outputKind: m.serving.manifest.output.kind,
        prediction: result?.prediction ?? null,
        explanation: result?.explanation ?? null,
      });
    }
    return {
      customerId: id,
      asOf: row?.asOf ?? null,
      store: { asOf: info.asOf, materializedAt: info.materializedAt, currency: info.currency },
      tier: row?.tier ?? null,
      rfm: first?.rfm ?? null,
      features: row ? Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, row.features[i]])) : {},
      recentItems: row?.recentItems ?? [],
      models,
    };
  }

  /**
   * A campaign list: the base (or a segment/tier filter of it) scored by a model through the
   * ScoreCustomers stream, kept above a threshold or as the top N by score. Answers NDJSON: a
   * progress line per chunk scored ({scored, total, rows}), then {done, count}; `preview=1`
   * counts without rows.
   */
  private async campaign(params: URLSearchParams, res: ServerResponse): Promise<void> {
    const modelName = params.get('model') ?? '';
    const list = (key: string) =>
      (params.get(key) ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
        .slice(0, 64);
    const threshold = params.get('threshold') ? Number(params.get('threshold')) : undefined;
    if (threshold !== undefined && !Number.isFinite(threshold))
      throw Errors.invalidArgument('threshold must be a number');
    const top = params.get('top') ? Number(params.get('top')) : undefined;
    if (top !== undefined && !(Number.isInteger(top) && top >= 1 && top <= MAX_CAMPAIGN_TOP))
      throw Errors.invalidArgument(`top must be a whole number from 1 to ${MAX_CAMPAIGN_TOP}`);
    const preview = params.get('preview') === '1';
    const request = parseScoreRequest({
      kind: 'SCORE_KIND_UNSPECIFIED',
      modelName,
      version: '',
      topK: 1,
      chunkSize: 2_000,
      // Checked against the segment names by parseScoreRequest, as a gRPC caller's would be.
      filter: { segments: list('segments') as RfmSegment__Output[], tiers: list('tiers') },
    });
    if (!('model' in request.target)) throw Errors.invalidArgument('model is required');
    // NOT_FOUND before the stream starts, as a 404 the page can show.
    this.deps.registry.resolve(request.target.model.name);
    const { info } = await this.deps.catalog.current();
    const signal = callSignal(res);
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    const line = (value: unknown) => `${JSON.stringify(value)}\n`;
    const kept = new TopRows(top);
    let scored = 0;
    let count = 0;
    const sink = {
      write: (message: ScoreCustomersResponse, written: () => void) => {
        const rows: CampaignRow[] = [];
        for (const c of message.customers ?? []) {
          scored++;
          const { score, label } = scoreOf(c.prediction ?? null);
          if (threshold !== undefined && !(score >= threshold)) continue;
          const row: CampaignRow = [c.customerId ?? '', c.modelVersion ?? '', score, label];
          if (top !== undefined) kept.offer(row);
          else {
            count++;
            if (!preview) rows.push(row);
          }
        }
        const more = res.write(line({ scored, total: info.customerCount, rows }));
        if (more) written();
        else res.once('drain', written);
      },
    };
    try {
      await this.deps.predictions.scoreCustomers(
        sink,
        request.target,
        request.chunkSize,
        request.filter,
        signal,
      );
      const rows = top !== undefined ? kept.sorted() : [];
      if (top !== undefined) count = rows.length;
      res.end(line({ done: true, scored, count, rows: preview ? [] : rows }));
    } catch (err) {
      // Headers are gone: the error is the stream's last line.
      res.end(line({ error: err instanceof Error ? err.message : 'internal error' }));
    }
  }

  private async liveFigures() {
    const { registry, live, pool, lookup, admission, shadow } = this.deps;
    const cache = lookup.stats;
    return {
      at: Date.now(),
      ...live.snapshot(),
      queues: registry.list().flatMap((m) =>
        m.versions.map((version) => ({
          model: m.name,
          version,
          depth: registry.resolve(m.name, version).scheduler.depth,
        })),
      ),
      cache: { hits: cache.hits + cache.negativeHits, misses: cache.misses },
      workers: { alive: pool.alive, busy: pool.busy, queued: pool.queued },
      shed: admission.shed + admission.refusedAtLimit,
      shadowDropped: shadow.stats.droppedRows,
    };
  }
}

/** The score a campaign ranks by: a probability, a value, or the top label's or item's. */
function scoreOf(p: ModelPrediction | null): { score: number; label: string } {
  if (p?.binary) return { score: Number(p.binary.probability), label: p.binary.label ?? '' };
  if (p?.regression) return { score: Number(p.regression.value), label: p.regression.unit ?? '' };
  const top = p?.classes?.labels?.[0];
  if (top) return { score: Number(top.probability), label: top.code ?? '' };
  const item = p?.ranking?.items?.[0];
  if (item) return { score: Number(item.score), label: item.code ?? '' };
  return { score: Number.NaN, label: '' };
}

/** Aborted when the browser goes away or the call runs too long. */
function callSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(Errors.deadlineExceeded('the console call')),
    CALL_TIMEOUT_MS,
  );
  timer.unref();
  res.on('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) controller.abort(new Error('the browser went away'));
  });
  return controller.signal;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw Errors.invalidArgument('the path is not valid percent-encoding');
  }
}

/** A version's drift for the console: the window's rows, the output's PSI, inputs by PSI. */
function driftOf(d: ModelDrift | undefined) {
  if (!d) return null;
  const inputs = d.names.map((name, i) => ({ name, psi: d.inputs[i]! })).sort((a, b) => b.psi - a.psi);
  return { rows: d.rows, output: d.output, inputs };
}
