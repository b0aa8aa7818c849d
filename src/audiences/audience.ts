import { Errors } from '../errors.js';
import { FEATURE_NAMES } from '../features/feature-set.js';
import { validateBaseQuery } from '../serving/base-query.js';
import { RISK_BANDS, type RiskBand } from '../serving/vocabulary.js';

/**
 * An audience: who a campaign list holds, as a marketer builds it. The customers a model ranks
 * (optionally of some segments and tiers, in some risk bands, above a score), further narrowed by
 * other models' answers and feature ranges, without the recently contacted and the opted out,
 * kept above a threshold or as the top N, with a random holdout and the columns the file carries.
 *
 * Its one written form is a URL query (the console's address, a saved audience, an export's
 * record): `parseAudience` reads it, `audienceQuery` writes it back in a canonical order.
 */
export interface Audience {
  /** The model that scores and ranks the list. */
  model: string;
  segments: string[];
  tiers: string[];
  /** Risk bands of the ranking model's probability (binary models only; none: all). */
  bands: RiskBand[];
  threshold: number | undefined;
  top: number | undefined;
  /** Other models' answers every customer must meet. */
  where: ModelCondition[];
  /** Ranges of the store's loyalty features every customer must fall in (inclusive). */
  features: FeatureRange[];
  /** Leaves out customers contacted within this many days (campaign history and decisions log). */
  notContactedDays: number | undefined;
  /** Contacts are counted up to the end of this day (YYYY-MM-DD, UTC); undefined: now. */
  contactsUpTo: string | undefined;
  /** Leaves out the customers of the opt-out table. */
  excludeOptedOut: boolean;
  /** The share of the list kept back as a holdout (marked in the file, not contacted): 0 to 0.5. */
  holdout: number;
  /** The optional columns of an export, in this order. */
  columns: AudienceColumn[];
}

/** Another model's answer: its risk band is one of these, or its score is at least / at most. */
export type ModelCondition =
  | { model: string; op: 'band'; bands: RiskBand[] }
  | { model: string; op: 'min' | 'max'; value: number };

export interface FeatureRange {
  feature: string;
  min: number | undefined;
  max: number | undefined;
}

/** What an audience without a `columns` parameter exports (the console's first campaign lists). */
export const DEFAULT_COLUMNS = [
  'model_version',
  'risk_band',
  'top_label',
  'unit',
  'segment',
  'tier',
] as const;
/** The columns an export may add beside customer id, score and holdout. */
export const AUDIENCE_COLUMNS = [
  ...DEFAULT_COLUMNS,
  'ltv',
  'next_best_action',
  'next_best_action_value',
  'uplift',
] as const;
export type AudienceColumn = (typeof AUDIENCE_COLUMNS)[number];

/** A top N list holds at most this many rows while the base is ranked. */
export const MAX_AUDIENCE_TOP = 100_000;
export const MAX_CONDITIONS = 8;
export const MAX_FEATURE_RANGES = 16;
export const MAX_CONTACT_DAYS = 730;
export const MAX_HOLDOUT = 0.5;
/** An audience's written form, at most this long (it travels in a URL and a table column). */
export const MAX_QUERY_CHARS = 2_000;
const MODEL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const isRiskBand = (v: string): v is RiskBand => (RISK_BANDS as readonly string[]).includes(v);

/** A comma-separated parameter's values, trimmed, empty ones left out. */
function list(params: URLSearchParams, key: string): string[] {
  return (params.get(key) ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function number(raw: string | null, name: string): number | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v))
    throw Errors.invalidArgument(`${name} must be a number, not "${raw.slice(0, 32)}"`);
  return v;
}

function bandsOf(values: readonly string[], name: string): RiskBand[] {
  for (const b of values)
    if (!isRiskBand(b))
      throw Errors.invalidArgument(
        `${name}: "${b.slice(0, 32)}" is not a risk band (${RISK_BANDS.join(', ')})`,
      );
  return [...new Set(values as RiskBand[])];
}

/**
 * Reads an audience from its query (INVALID_ARGUMENT naming the parameter at fault). Models are
 * checked against what is served when the audience runs, not here.
 *
 *   model=churn  segments=AT_RISK,LOST  tiers=gold  bands=high  threshold=0.5  top=500
 *   where=ltv:min:500,upsell:band:high|medium  features=tenure_months:12:,support_calls::3
 *   contacted=30  at=2025-12-31 (contacts up to that day's end; default now)  optout=1  holdout=10 (percent)  columns=risk_band,segment,ltv
 */
export function parseAudience(params: URLSearchParams): Audience {
  if (params.toString().length > MAX_QUERY_CHARS)
    throw Errors.invalidArgument(`an audience is at most ${MAX_QUERY_CHARS} characters`);
  const model = params.get('model') ?? '';
  if (!MODEL_NAME.test(model)) throw Errors.invalidArgument('model is required: a model name');
  // Segments and tiers as every stream over the base checks them.
  const { filter } = validateBaseQuery({
    chunkSize: 0,
    topK: 0,
    segments: list(params, 'segments'),
    tiers: list(params, 'tiers'),
  });
  const threshold = number(params.get('threshold'), 'threshold');
  const top = number(params.get('top'), 'top');
  if (top !== undefined && !(Number.isInteger(top) && top >= 1 && top <= MAX_AUDIENCE_TOP))
    throw Errors.invalidArgument(`top must be a whole number from 1 to ${MAX_AUDIENCE_TOP}`);
  const where = list(params, 'where').map(parseCondition);
  if (where.length > MAX_CONDITIONS)
    throw Errors.invalidArgument(`where has ${where.length} conditions; at most ${MAX_CONDITIONS}`);
  const features = list(params, 'features').map(parseRange);
  if (features.length > MAX_FEATURE_RANGES)
    throw Errors.invalidArgument(`features has ${features.length} ranges; at most ${MAX_FEATURE_RANGES}`);
  const notContactedDays = number(params.get('contacted'), 'contacted');
  if (
    notContactedDays !== undefined &&
    !(Number.isInteger(notContactedDays) && notContactedDays >= 1 && notContactedDays <= MAX_CONTACT_DAYS)
  )
    throw Errors.invalidArgument(`contacted is a number of days from 1 to ${MAX_CONTACT_DAYS}`);
  const contactsUpTo = params.get('at') || undefined;
  if (contactsUpTo !== undefined && !isDay(contactsUpTo))
    throw Errors.invalidArgument('at is a day, YYYY-MM-DD: contacts are counted up to its end');
  const holdoutPercent = number(params.get('holdout'), 'holdout') ?? 0;
  if (!(holdoutPercent >= 0 && holdoutPercent <= MAX_HOLDOUT * 100))
    throw Errors.invalidArgument(`holdout is a percentage from 0 to ${MAX_HOLDOUT * 100}`);
  const columns = params.has('columns') ? list(params, 'columns') : DEFAULT_COLUMNS;
  for (const c of columns)
    if (!(AUDIENCE_COLUMNS as readonly string[]).includes(c))
      throw Errors.invalidArgument(
        `columns: "${c.slice(0, 32)}" is not one of ${AUDIENCE_COLUMNS.join(', ')}`,
      );
  return {
    model,
    segments: filter.segments,
    tiers: filter.tiers,
    bands: bandsOf(list(params, 'bands'), 'bands'),
    threshold,
    top,
    where,
    features,
    notContactedDays,
    contactsUpTo,
    excludeOptedOut: params.get('optout') === '1',
    holdout: holdoutPercent / 100,
    columns: [...new Set(columns as AudienceColumn[])],
  };
}

function parseCondition(text: string): ModelCondition {
  const [model = '', op = '', value = '', ...rest] = text.split(':');
  if (!MODEL_NAME.test(model) || rest.length > 0)
    throw Errors.invalidArgument(
      `where: "${text.slice(0, 64)}" is not model:band:high|medium or model:min|max:number`,
    );
  if (op === 'band') return { model, op, bands: bandsOf(value.split('|'), `where ${model}`) };
  if (op === 'min' || op === 'max') {
    const v = number(value, `where ${model}:${op}`);
    if (v === undefined) throw Errors.invalidArgument(`where ${model}:${op} needs a number`);
    return { model, op, value: v };
  }
  throw Errors.invalidArgument(`where: "${op.slice(0, 16)}" is not band, min or max`);
}

function parseRange(text: string): FeatureRange {
  const [feature = '', min = '', max = '', ...rest] = text.split(':');
  if (!(FEATURE_NAMES as readonly string[]).includes(feature) || rest.length > 0)
    throw Errors.invalidArgument(
      `features: "${text.slice(0, 64)}" is not feature:min:max of a loyalty feature`,
    );
  const range = {
    feature,
    min: number(min, `features ${feature} min`),
    max: number(max, `features ${feature} max`),
  };
  if (range.min === undefined && range.max === undefined)
    throw Errors.invalidArgument(`features ${feature} needs a min, a max or both`);
  if (range.min !== undefined && range.max !== undefined && range.min > range.max)
    throw Errors.invalidArgument(`features ${feature}: min ${range.min} is above max ${range.max}`);
  return range;
}

function isDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

/** When an audience counts contacts up to: the end of its day, or now. */
export function contactsEnd(a: Audience, now = Date.now()): number {
  return a.contactsUpTo ? Date.parse(`${a.contactsUpTo}T23:59:59Z`) : now;
}

const text = (v: number | undefined) => (v === undefined ? '' : String(v));

/** The audience's query in one canonical order (what is saved, shared and recorded). */
export function audienceQuery(a: Audience): URLSearchParams {
  const q = new URLSearchParams({ model: a.model });
  const put = (key: string, value: string) => {
    if (value !== '') q.set(key, value);
  };
  put('segments', a.segments.join(','));
  put('tiers', a.tiers.join(','));
  put('bands', a.bands.join(','));
  put('threshold', text(a.threshold));
  put('top', text(a.top));
  put(
    'where',
    a.where
      .map((c) =>
        c.op === 'band' ? `${c.model}:band:${c.bands.join('|')}` : `${c.model}:${c.op}:${c.value}`,
      )
      .join(','),
  );
  put('features', a.features.map((f) => `${f.feature}:${text(f.min)}:${text(f.max)}`).join(','));
  put('contacted', text(a.notContactedDays));
  put('at', a.contactsUpTo ?? '');
  if (a.excludeOptedOut) q.set('optout', '1');
  if (a.holdout > 0) q.set('holdout', String(Math.round(a.holdout * 10_000) / 100));
  q.set('columns', a.columns.join(','));
  return q;
}

/**
 * Whether a customer is in the holdout: a hash of the audience's seed and the id, so the same
 * audience keeps the same customers back on every run. Uniform on [0, 1).
 */
export function holdoutDraw(seed: string, customerId: string): number {
  // FNV-1a, 32 bits, then a final avalanche (murmur3's fmix32).
  let h = 0x811c9dc5;
  const s = `${seed}\u0000${customerId}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}
