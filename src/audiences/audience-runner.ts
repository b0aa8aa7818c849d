import { Errors } from '../errors.js';
import type { FeatureRow } from '../features/feature-set.js';
import { FEATURE_NAMES } from '../features/feature-set.js';
import type { Prediction } from '../serving/prediction.js';
import type { ModelTarget, Predictor } from '../serving/predictor.js';
import type { RowSource } from '../serving/row-fetch.js';
import {
  type Audience,
  type AudienceColumn,
  contactsEnd,
  holdoutDraw,
  type ModelCondition,
} from './audience.js';
import { type AudienceSummary, SummaryBuilder } from './audience-summary.js';
import { TopRows } from './top-rows.js';

/** One customer of a list: the ranking model's answer, where they sit, and the chosen columns. */
export interface AudienceRow {
  id: string;
  version: string;
  score: number;
  band: string;
  top: string;
  unit: string;
  segment: string;
  tier: string;
  holdout: boolean;
  /** Filled only when the audience's columns ask for them. */
  ltv?: number;
  nextBestAction?: string;
  nextBestActionValue?: number;
  uplift?: number;
}

/** What a list run reads besides the serving core. */
export interface AudienceDeps {
  predictor: Pick<Predictor, 'scoreBase' | 'predict' | 'route' | 'maxBatchSize'>;
  rows: RowSource;
  /** Each customer's contacts in (now - days, now] (the campaign history and the decisions log). */
  contacts: {
    contactsOf(ids: readonly string[], now: number, days: number): Promise<Map<string, unknown[]>>;
  };
  optOuts: { available(): Promise<boolean>; of(ids: readonly string[]): Promise<Set<string>> };
  /** Each customer's recommended action and its expected net value at `now`, as Decide answers. */
  nextBestActions(
    rows: readonly FeatureRow[],
    now: number,
    signal: AbortSignal,
  ): Promise<Map<string, { code: string; value: number }>>;
  /** The served uplift model's name, if one is loaded. */
  upliftModel(): string | undefined;
}

/** What a run counted besides the list itself. */
export interface AudienceTotals extends AudienceSummary {
  /** Customers of the base (or its segment/tier filter) the ranking model scored. */
  scored: number;
  /** Customers meeting every condition, before exclusions and the top N. */
  matched: number;
  excluded: { contacted: number; optedOut: number };
  /** Whether the store holds an opt-out table (without one, none are left out). */
  optOutsAvailable: boolean;
}

export interface AudienceSink {
  /** A chunk of the base was scored; `rows` are list rows final already (threshold lists). */
  progress(scored: number, rows: AudienceRow[]): Promise<void> | void;
}

/**
 * Runs an audience over the base: the ranking model scores it a chunk at a time through the
 * serving core (batch scoring: kept out of drift), then each chunk is narrowed by bands and the
 * threshold, feature ranges, other models' answers, recent contacts and opt-outs (a batched read
 * each). A threshold list hands its rows on chunk by chunk; a top N list holds at most N rows and
 * hands them on at the end, best first, with exactly round(N x share) of them held out.
 */
export async function runAudience(
  deps: AudienceDeps,
  a: Audience,
  seed: string,
  sink: AudienceSink,
  signal: AbortSignal,
): Promise<AudienceTotals> {
  const now = contactsEnd(a);
  const kind = deps.predictor.route({ name: a.model, version: '' }, 'model').primary.manifest.output.kind;
  const range: [number, number] | undefined =
    kind === 'regression' ? undefined : kind === 'uplift' ? [-1, 1] : [0, 1];
  // A score the model can answer: probabilities 0 to 1, an uplift -1 to 1, any value otherwise.
  if (a.threshold !== undefined && range && (a.threshold < range[0] || a.threshold > range[1]))
    throw Errors.invalidArgument(
      `threshold ${a.threshold} is outside ${range[0]} to ${range[1]}, the scores model ${a.model} answers`,
    );
  if (a.bands.length && kind !== 'binary_probability')
    throw Errors.invalidArgument(`model ${a.model} answers no risk bands: bands are for binary models`);
  const summary = new SummaryBuilder(range);
  const totals = { scored: 0, matched: 0, excluded: { contacted: 0, optedOut: 0 } };
  const optOutsAvailable = a.excludeOptedOut && (await deps.optOuts.available());
  const kept =
    a.top !== undefined
      ? new TopRows<AudienceRow>(
          a.top,
          (r) => r.score,
          (r) => r.id,
        )
      : undefined;
  const chunkSize = Math.min(2_000, deps.predictor.maxBatchSize);

  const narrow = async (chunk: AudienceRow[]): Promise<AudienceRow[]> => {
    let rows = chunk.filter(
      (r) =>
        (a.threshold === undefined || r.score >= a.threshold) &&
        (a.bands.length === 0 || a.bands.includes(r.band as never)),
    );
    if (rows.length && a.features.length) {
      const features = await deps.rows.getMany(rows.map((r) => r.id));
      rows = rows.filter((r) => inRanges(a, features.get(r.id)));
    }
    for (const model of [...new Set(a.where.map((c) => c.model))]) {
      if (rows.length === 0) break;
      const answers = await predictions(deps, { name: model, version: '' }, rows, signal);
      const conditions = a.where.filter((c) => c.model === model);
      rows = rows.filter((r) => {
        const p = answers.get(r.id);
        return p !== undefined && conditions.every((c) => meets(c, p));
      });
    }
    totals.matched += rows.length;
    if (rows.length && a.notContactedDays !== undefined) {
      const contacted = await deps.contacts.contactsOf(
        rows.map((r) => r.id),
        now,
        a.notContactedDays,
      );
      totals.excluded.contacted += contacted.size;
      rows = rows.filter((r) => !contacted.has(r.id));
    }
    if (rows.length && optOutsAvailable) {
      const out = await deps.optOuts.of(rows.map((r) => r.id));
      totals.excluded.optedOut += out.size;
      rows = rows.filter((r) => !out.has(r.id));
    }
    return rows;
  };

  const emit = async (rows: AudienceRow[]) => {
    await enrich(deps, a.columns, rows, now, signal);
    for (const r of rows) summary.add(r.score, r.segment, r.tier, r.holdout);
  };

  // The chunk's processing runs in the sink, so the base stream reads one chunk ahead at most.
  const inner = new AbortController();
  const stop = () => inner.abort(signal.reason);
  signal.addEventListener('abort', stop, { once: true });
  let failure: unknown;
  try {
    await deps.predictor.scoreBase(
      { name: a.model, version: '' },
      { chunkSize, filter: { segments: a.segments, tiers: a.tiers }, topK: 1, served: false },
      {
        write: (chunk, written) => {
          const rows = chunk.customers.map((c) => ({
            ...rowOf(c.prediction),
            id: c.id,
            version: c.version,
            segment: c.segment,
            tier: c.tier,
            holdout: false,
          }));
          totals.scored += rows.length;
          narrow(rows)
            .then(async (list) => {
              if (kept) {
                for (const r of list) kept.offer(r);
                await sink.progress(totals.scored, []);
              } else {
                for (const r of list) r.holdout = holdoutDraw(seed, r.id) < a.holdout;
                await emit(list);
                await sink.progress(totals.scored, list);
              }
              written();
            })
            .catch((err: unknown) => {
              failure = err;
              inner.abort(err);
            });
        },
      },
      inner.signal,
    );
  } catch (err) {
    throw failure ?? err;
  } finally {
    signal.removeEventListener('abort', stop);
  }
  if (failure) throw failure;
  if (kept) {
    const list = kept.sorted();
    // Exactly round(n x share) held out: the rows whose draws are lowest.
    const held = Math.round(list.length * a.holdout);
    const byDraw = list.map((r) => ({ r, d: holdoutDraw(seed, r.id) })).sort((x, y) => x.d - y.d);
    for (let i = 0; i < held; i++) byDraw[i]!.r.holdout = true;
    for (let i = 0; i < list.length; i += chunkSize) {
      const part = list.slice(i, i + chunkSize);
      await emit(part);
      await sink.progress(totals.scored, part);
    }
  }
  return { ...totals, ...summary.summary(), optOutsAvailable };
}

/** What a list ranks by and shows beside it, by output kind. */
function rowOf(p: Prediction): Pick<AudienceRow, 'score' | 'band' | 'top' | 'unit'> {
  switch (p.kind) {
    case 'binary_probability':
      return { score: p.probability, band: p.riskBand, top: '', unit: '' };
    case 'regression':
      return { score: p.value, band: '', top: '', unit: p.money?.currency ?? p.unit };
    case 'class_probabilities':
      return {
        score: p.labels[0]?.probability ?? Number.NaN,
        band: '',
        top: p.labels[0]?.code ?? '',
        unit: '',
      };
    case 'ranking':
      return { score: p.items[0]?.score ?? Number.NaN, band: '', top: p.items[0]?.code ?? '', unit: '' };
    case 'uplift':
      return { score: p.uplift, band: '', top: '', unit: '' };
  }
}

/** A customer's score under another model: the probability, value, top label's probability or uplift. */
export function scoreOf(p: Prediction): number {
  return rowOf(p).score;
}

function meets(c: ModelCondition, p: Prediction): boolean {
  if (c.op === 'band') return p.kind === 'binary_probability' && c.bands.includes(p.riskBand);
  const s = scoreOf(p);
  return c.op === 'min' ? s >= c.value : s <= c.value;
}

function inRanges(a: Audience, row: FeatureRow | undefined): boolean {
  if (!row) return false;
  return a.features.every((f) => {
    const v = row.features[FEATURE_NAMES.indexOf(f.feature as never)]!;
    return (f.min === undefined || v >= f.min) && (f.max === undefined || v <= f.max);
  });
}

/** Another model's answers for these rows (batch scoring, kept out of drift; no forecast). */
async function predictions(
  deps: AudienceDeps,
  target: ModelTarget,
  rows: readonly AudienceRow[],
  signal: AbortSignal,
): Promise<Map<string, Prediction>> {
  const found = new Map<string, Prediction>();
  const step = deps.predictor.maxBatchSize;
  for (let i = 0; i < rows.length; i += step) {
    const part = rows.slice(i, i + step);
    const answer = await deps.predictor.predict(
      target,
      part.map((r) => ({ customerId: r.id })),
      { topK: 1, explain: false, served: false, forecast: false },
      signal,
    );
    answer.results.forEach((result, j) => {
      if ('prediction' in result) found.set(part[j]!.id, result.prediction);
    });
  }
  return found;
}

/** Fills the columns that need other models: lifetime value, the next best action, the uplift. */
async function enrich(
  deps: AudienceDeps,
  columns: readonly AudienceColumn[],
  rows: AudienceRow[],
  now: number,
  signal: AbortSignal,
): Promise<void> {
  if (rows.length === 0) return;
  if (columns.includes('ltv')) {
    const ltv = await predictions(deps, { kind: 'ltv' }, rows, signal);
    for (const r of rows) {
      const p = ltv.get(r.id);
      r.ltv = p ? scoreOf(p) : undefined;
    }
  }
  const upliftModel = columns.includes('uplift') ? deps.upliftModel() : undefined;
  if (upliftModel) {
    const uplift = await predictions(deps, { name: upliftModel, version: '' }, rows, signal);
    for (const r of rows) {
      const p = uplift.get(r.id);
      r.uplift = p ? scoreOf(p) : undefined;
    }
  }
  if (columns.includes('next_best_action') || columns.includes('next_best_action_value')) {
    const features = await deps.rows.getMany(rows.map((r) => r.id));
    const present = rows.map((r) => features.get(r.id)).filter((f): f is FeatureRow => f !== undefined);
    const best = await deps.nextBestActions(present, now, signal);
    for (const r of rows) {
      const b = best.get(r.id);
      r.nextBestAction = b?.code;
      r.nextBestActionValue = b?.value;
    }
  }
}
