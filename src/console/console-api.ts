import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { AUDIENCE_COLUMNS } from '../audiences/audience.js';
import type { ModelDrift } from '../drift/drift-monitor.js';
import type { Explanation } from '../explain/explainer.js';
import { FEATURE_NAMES } from '../features/feature-set.js';
import type { FeatureSetState } from '../features/feature-set-catalog.js';
import type { InputName } from '../features/input-names.js';
import { BUILTIN_VIEW } from '../features/repository/repository-schema.js';
import type { RegisteredView } from '../features/repository/view-tables.js';
import { HttpError, send } from '../http/responses.js';
import type { HttpRoute, RouteContext } from '../http/route-table.js';
import type { ModelListing, ServedModel } from '../models/served-model.js';
import type { ServingPolicy } from '../models/serving-policy.js';
import type { Predictor } from '../serving/predictor.js';
import type { RfmReader } from '../serving/rfm-reader.js';
import type { RowSource } from '../serving/row-fetch.js';
import { checkCustomerId } from '../serving/subjects.js';
import { vocabulary } from '../serving/vocabulary.js';
import { callSignal } from './call-signal.js';
import type { LiveStats } from './live-stats.js';
import { modelCardHtml } from './model-card-html.js';

/** What the console reads of the registry: listing and state only (changes go through /admin). */
export interface ConsoleRegistry {
  list(): ModelListing[];
  resolve(name: string, version?: string): ServedModel;
  has(name: string): boolean;
  refusedVersions(): { name: string; version: string; reason: string }[];
  loadingVersions(): { name: string; version: string }[];
  readonly servingPolicy: ServingPolicy;
}

export interface ConsoleDeps {
  registry: ConsoleRegistry;
  predictor: Predictor;
  rfm: RfmReader;
  rows: RowSource;
  /** The feature cache's counters. */
  cache: { readonly stats: { hits: number; negativeHits: number; misses: number } };
  catalog: { current(): Promise<FeatureSetState> };
  live: LiveStats;
  shadow: { readonly stats: { droppedRows: Record<string, number> } };
  pool: { readonly alive: number; readonly busy: number; readonly queued: number };
  admission: { readonly shed: number; readonly refusedAtLimit: number };
  modelsDir: string;
  /** Drift of the served rows, when on. */
  drift?: { report(): ModelDrift[] };
  /** The feature views as the server last read them (their freshness and rows). */
  views?: { latest(): ReadonlyMap<string, RegisteredView> | undefined };
}

/** The console's reads, as a method of the access policy. */
export const CONSOLE_READ = 'console/Read';
const CALL_TIMEOUT_MS = 60_000;
const PLOT_FILE = /^[A-Za-z0-9_-]{1,64}\.svg$/;
const SEGMENT = '([^/]+)';

/**
 * The console's JSON, over the serving core (the same functions as the gRPC services, so the
 * same numbers), the registry's state and the live figures:
 *
 *   GET /console/api/vocabulary                      segments, tiers, kinds (one source for the page)
 *   GET /console/api/models                          every model and version, state, manifest
 *   GET /console/api/whoami                          the signed-in caller (null: authorization off)
 *   GET /console/api/models/{name}/{version}/card    the model card as HTML
 *   GET /console/api/models/{name}/{version}/files/{plot}.svg
 *   GET /console/api/customers/{id}                  every model's answer, RFM, features
 *   GET /console/api/live                            cumulative figures to chart by polling
 */
export function consoleRoutes(deps: ConsoleDeps): HttpRoute[] {
  const api = new ConsoleApi(deps);
  return [
    consoleGet('vocabulary', ({ res }) =>
      send(res, 200, { ...vocabulary(), audienceColumns: AUDIENCE_COLUMNS }),
    ),
    consoleGet('models', ({ res }) => send(res, 200, api.models())),
    // Who the console is signed in as (null with caller authorization off).
    consoleGet('whoami', ({ res, caller }) => send(res, 200, { caller: caller ?? null })),
    consoleGet(`models/${SEGMENT}/${SEGMENT}/card`, ({ res, params }) =>
      send(res, 200, { html: api.card(params[0]!, params[1]!) }),
    ),
    consoleGet(`models/${SEGMENT}/${SEGMENT}/files/${SEGMENT}`, ({ res, params }) =>
      api.plot(res, params[0]!, params[1]!, params[2]!),
    ),
    consoleGet(`customers/${SEGMENT}`, async ({ res, params }) =>
      send(res, 200, await api.customer(params[0]!, res)),
    ),
    consoleGet('live', async ({ res }) => send(res, 200, await api.liveFigures())),
  ];
}

/** A comma-separated query parameter's values, trimmed, empty ones left out, at most 64. */
export function queryList(params: URLSearchParams, key: string): string[] {
  return (params.get(key) ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .slice(0, 64);
}

/** A read of the console's API: GET /console/api/<path>, behind the console's read access. */
export function consoleGet(path: string, handle: (ctx: RouteContext) => Promise<void> | void): HttpRoute {
  return { method: 'GET', path: new RegExp(`^/console/api/${path}$`), access: [CONSOLE_READ], handle };
}

class ConsoleApi {
  constructor(private readonly deps: ConsoleDeps) {}

  models() {
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
            riskBands: v.manifest.thresholds?.riskBands ?? null,
            displayName: v.manifest.displayName ?? null,
            labels: v.manifest.output.labels,
            inputs: v.manifest.inputs,
            fedByStore: v.featureIndex !== undefined || v.viewInputs !== undefined,
            views: this.viewsOf(v.viewInputs),
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

  /** The declared views a version reads, each with its state as the server last read it. */
  private viewsOf(inputs: readonly InputName[] | undefined) {
    if (!inputs) return [];
    const registry = this.deps.views?.latest();
    const names = [...new Set(inputs.map((i) => i.view))].filter((n) => n !== BUILTIN_VIEW);
    return names.map((name) => {
      const v = registry?.get(name);
      return {
        name,
        features: inputs.filter((i) => i.view === name).map((i) => i.feature),
        materializedAt: v?.materializedAt ?? null,
        valuesAsOf: v?.valuesAsOf ?? null,
        rows: v?.rows ?? null,
        maxAgeDays: v?.definition.maxAgeDays ?? null,
      };
    });
  }

  /** A loaded version's file (NOT_FOUND for a name or version not loaded). */
  private versionFile(name: string, version: string, file: string): string {
    const model = this.deps.registry.resolve(name, version);
    return join(this.deps.modelsDir, model.name, model.version, file);
  }

  card(name: string, version: string): string {
    const path = this.versionFile(name, version, 'MODEL_CARD.md');
    if (!existsSync(path)) throw new HttpError(404, `model ${name} version ${version} has no model card`);
    const base = `/console/api/models/${encodeURIComponent(name)}/${encodeURIComponent(version)}/files/`;
    return modelCardHtml(readFileSync(path, 'utf8'), (file) => base + encodeURIComponent(file));
  }

  plot(res: ServerResponse, name: string, version: string, file: string): void {
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

  /** What every model fed by the store says about one customer, through the serving core. */
  async customer(id: string, res: ServerResponse) {
    checkCustomerId(id, 'customer id');
    const signal = callSignal(res, CALL_TIMEOUT_MS);
    const subject = [{ customerId: id }];
    const rfm = (await this.deps.rfm.read(subject, signal)).results[0]!;
    if ('error' in rfm) throw new HttpError(404, rfm.error.message);
    const { info } = await this.deps.catalog.current();
    const row = (await this.deps.rows.getMany([id])).get(id);
    // Every model at once: each explanation waits on its own batches (the page waited for the
    // sum of ten models' answers before).
    const fed = this.deps.registry.list().filter((m) => m.serving.featureIndex);
    const models = await Promise.all(
      fed.map(async (m) => {
        // Reason codes beside each score, from models whose manifest lets them be explained.
        const explain = m.serving.manifest.explanation !== undefined;
        const answer = await this.deps.predictor.predict(
          { name: m.name, version: '' },
          subject,
          { topK: 3, explain },
          signal,
        );
        const result = answer.results[0]!;
        return {
          name: m.name,
          version: 'version' in result ? result.version : m.serving.version,
          outputKind: m.serving.manifest.output.kind,
          displayName: m.serving.manifest.displayName ?? null,
          prediction: 'prediction' in result ? result.prediction : null,
          explanation:
            'prediction' in result && result.explanation ? explanationJson(result.explanation) : null,
        };
      }),
    );
    return {
      customerId: id,
      asOf: row?.asOf ?? null,
      store: { asOf: info.asOf, materializedAt: info.materializedAt, currency: info.currency },
      tier: row?.tier ?? null,
      rfm: rfm.rfm,
      features: row ? Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, row.features[i]])) : {},
      recentItems: row?.recentItems ?? [],
      models,
    };
  }

  async liveFigures() {
    const { registry, live, pool, admission, shadow } = this.deps;
    const cache = this.deps.cache.stats;
    const figures = live.snapshot();
    // Only the shadows that score now: a shadow removed from the policy leaves the page.
    const current = new Set(
      registry
        .list()
        .filter((m) => m.shadow)
        .map((m) => `${m.name}\u0000${m.serving.version}\u0000${m.shadow}`),
    );
    return {
      at: Date.now(),
      ...figures,
      shadows: figures.shadows.filter((s) =>
        current.has(`${s.model}\u0000${s.version}\u0000${s.shadowVersion}`),
      ),
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

/** An explanation as JSON (its contributions a plain array). */
function explanationJson(e: Explanation) {
  return { ...e, contributions: Array.from(e.contributions) };
}

/** A version's drift for the console: the window's rows, the output's PSI, inputs by PSI. */
function driftOf(d: ModelDrift | undefined) {
  if (!d) return null;
  const inputs = d.names.map((name, i) => ({ name, psi: d.inputs[i]! })).sort((a, b) => b.psi - a.psi);
  return { rows: d.rows, output: d.output, inputs };
}
