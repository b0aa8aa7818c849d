import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FEATURE_NAMES } from '../features/feature-set.js';
import { parseInputName } from '../features/input-names.js';
import { sourceSchema } from '../features/repository/repository-schema.js';
import { EVENT_FAMILY_NAMES, type EventFamily, fieldsOf } from './events.js';

/**
 * models/pipeline.json: the targets `make models` trains. A target is configuration only: a
 * task, a cutoff, a population, a label definition and a feature list.
 *
 * A label reads the window (cutoff, cutoff + days] after the cutoff. It selects events (one or
 * more filters over the event families of events.ts, as a union) and aggregates them:
 * - exists / absent: 1 when there is at least one / no selected event (binary);
 * - count / sum: the number of selected events / the sum of a numeric field (regression);
 * - argmax: the value of a field most frequent among the selected events, the earliest on a tie,
 *   as a class of a vocabulary table (multiclass);
 * - items: the distinct values of a field, as a multi-hot row over a vocabulary table (ranking),
 *   with excludeRecent leaving out those the customer had in the RECENT_ITEMS_DAYS before the
 *   cutoff (the window the online store keeps, so serving leaves out the same).
 * `among` restricts the rows to customers with at least one such event in the window (the
 * others are left out); argmax and items leave out customers with nothing selected.
 */
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const condition = z.union([
  scalar,
  z.array(scalar).min(1),
  z.object({ gte: z.number().optional(), lte: z.number().optional() }).strict(),
]);
export type FieldCondition = z.infer<typeof condition>;

const eventFilterSchema = z
  .object({
    family: z.enum(EVENT_FAMILY_NAMES as [EventFamily, ...EventFamily[]]),
    where: z.record(z.string(), condition).default({}),
  })
  .strict();
export type EventFilter = z.infer<typeof eventFilterSchema>;

/** Tables whose codes name the classes of argmax and the items of items. */
export const VOCABULARIES = ['offer_types', 'products'] as const;
export type VocabularyName = (typeof VOCABULARIES)[number];

export const AGGREGATES = ['exists', 'absent', 'count', 'sum', 'argmax', 'items'] as const;

const labelSchema = z
  .object({
    days: z.number().int().positive(),
    events: z.array(eventFilterSchema).min(1),
    aggregate: z.enum(AGGREGATES),
    field: z.string().optional(),
    vocabulary: z.enum(VOCABULARIES).optional(),
    among: z.array(eventFilterSchema).min(1).optional(),
    /**
     * items over products: only the N products bought by the most customers in the 365 days up to
     * the cutoff (a catalogue of thousands, ranked by its best sellers), most bought first.
     */
    vocabularyTop: z.number().int().positive().max(5000).optional(),
    /** items: leave out what the customer bought in the feature store's recent window (RECENT_ITEMS_DAYS). */
    excludeRecent: z.boolean().optional(),
    /**
     * Uplift: the events that make a row treated (1 when the window holds one, 0 otherwise), e.g.
     * campaign contacts beside their control group picked in the same window.
     */
    treatment: z.array(eventFilterSchema).min(1).optional(),
  })
  .strict();

export type LabelDefinition = z.infer<typeof labelSchema>;

/** The task each aggregate trains. */
const TASK_OF: Record<(typeof AGGREGATES)[number], string> = {
  exists: 'binary',
  absent: 'binary',
  count: 'regression',
  sum: 'regression',
  argmax: 'multiclass',
  items: 'ranking',
};

/** How a network is trained, whatever its rows come from. */
export const trainingSettings = {
  name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  version: z.string().regex(/^[1-9][0-9]*$/),
  description: z.string(),
  hidden: z.array(z.number().int().positive()).default([32, 16]),
  /**
   * Regression: identity (squared error on the value); log1p (squared error on log(1 + value):
   * a typical value, totals too low); poisson (the network's output is the log of the mean,
   * trained with the Poisson loss: mean-unbiased, so totals over many customers add up).
   */
  target: z.enum(['identity', 'log1p', 'poisson']).default('identity'),
  /** log1p: the model takes log(1 + max(0, x)) of every input (inside the exported graph). */
  inputTransform: z.enum(['none', 'log1p']).default('none'),
  horizonMonths: z.number().int().positive().optional(),
  /** Regression: what the value counts; "currency" serves it as money in the store's currency. */
  unit: z.string().min(1).max(64).default('currency'),
  riskBands: z.object({ medium: z.number(), high: z.number() }).optional(),
  maxEpochs: z.number().int().positive().default(40),
  patience: z.number().int().positive().default(4),
  learningRate: z.number().positive().default(0.003),
  /** L2 penalty on every kernel. */
  l2: z.number().min(0).default(0),
  /**
   * adam: minibatch steps with early stopping on the validation rows. newton (a logistic
   * regression: binary, no hidden layer): the penalized log loss minimized to convergence by
   * Newton's method on every non-test row, as a reference logistic regression is fitted.
   */
  solver: z.enum(['adam', 'newton']).default('adam'),
  batchSize: z.number().int().positive().default(256),
};

const targetSchema = z.object({
  ...trainingSettings,
  /** uplift: a binary label and a treatment; two networks, P(label | treated) and P(label | not). */
  task: z.enum(['binary', 'multiclass', 'regression', 'ranking', 'uplift']),
  cutoff: z.iso.date(),
  /**
   * Earlier cutoffs whose rows are pooled with the cutoff's: one row per customer per cutoff
   * (features as of it, the label from the window after it), a customer's rows all in one split.
   * More rows, and test metrics over several periods (e.g. monthly cutoffs).
   */
  earlierCutoffs: z.array(z.iso.date()).max(120).default([]),
  population: z.object({ activeWithinDays: z.number().int().positive().optional() }).default({}),
  label: labelSchema,
  features: z.array(z.enum(FEATURE_NAMES)).default([...FEATURE_NAMES]),
  /** Regression: a feature holding the label's recent level, for a persistence baseline. */
  persistenceFeature: z.enum(FEATURE_NAMES).optional(),
  /**
   * Regression of spend: also fit BG/NBD and Gamma-Gamma on the training customers' purchase
   * records and store them in the manifest, so the server answers P(alive), expected purchases
   * and a spend interval beside the network's value.
   */
  clv: z.boolean().default(false),
  /**
   * Train on what a server served instead of features recomputed at the cutoff: the customer
   * rows of `model` in a prediction log (JSON lines files or the table), with their
   * features as served, each labelled from the history after its own features' as-of day. Rows
   * served as of a day after the cutoff, or whose label window is not over yet, are left out.
   */
  source: z
    .object({
      predictionLog: z
        .object({
          model: z.string().min(1),
          /** A folder of JSON lines files (LOYALTY_PREDICTION_LOG=jsonl), or */
          dir: z.string().min(1).optional(),
          /** the prediction_log table of the training store's database (LOYALTY_PREDICTION_LOG=table). */
          table: z.literal(true).optional(),
        })
        .strict()
        .refine((l) => (l.dir === undefined) !== (l.table === undefined), 'give either dir or table: true'),
    })
    .strict()
    .optional(),
});

export type TargetConfig = z.infer<typeof targetSchema>;

/**
 * A target trained from a team's own labels: a label source (a file, a table or a query of the
 * feature store's database, one row per customer, time and label, optionally a treatment flag)
 * joined point in time to the features of the views it names (`view.feature`), declared in a
 * feature repository file.
 */
const columnOrExpr = z.union([
  z.string().min(1).max(128),
  z.object({ expr: z.string().min(1).max(10_000) }).strict(),
]);

export const labelledTargetSchema = z
  .object({
    ...trainingSettings,
    task: z.enum(['binary', 'regression', 'uplift']),
    /** The feature repository declaring the views, relative to the pipeline file. */
    repository: z.string().min(1),
    labels: z
      .object({
        source: sourceSchema,
        customer: z.string().min(1).max(128),
        /** When each label was observed; without it, only views without timestamps can be joined. */
        timestamp: z.string().min(1).max(128).optional(),
        /** The label: a column, or { expr } over the source's columns ("Churn = 'Yes'"). */
        label: columnOrExpr,
        /** 1 for a treated row, 0 for control: a column or { expr } ("segment <> 'No E-Mail'"). */
        treatment: columnOrExpr.optional(),
        /** Only the rows where this SQL condition of the source's engine holds. */
        where: z.string().min(1).max(10_000).optional(),
      })
      .strict(),
    features: z
      .array(z.string())
      .min(1)
      .max(1000)
      .refine(
        (names) => names.every((n) => n.includes('.') && parseInputName(n) !== undefined),
        'each feature is view.feature, a view of the repository',
      ),
  })
  .strict()
  .refine(
    (t) => t.task !== 'uplift' || t.labels.treatment !== undefined,
    'an uplift target needs labels.treatment',
  );

export type LabelledTarget = z.infer<typeof labelledTargetSchema>;

/** Any target: its rows from purchase histories, or from labels and feature views. */
export type TrainingTarget = TargetConfig | LabelledTarget;

export const isLabelled = (t: TrainingTarget): t is LabelledTarget => 'labels' in t;

/** A target from its settings, with the defaults above filled in (for pipelines outside pipeline.json). */
export function defineTarget(input: z.input<typeof targetSchema>): TargetConfig {
  return targetSchema.parse(input);
}

const pipelineSchema = z
  .object({
    seed: z.number().int(),
    split: z.object({ validation: z.number().gt(0).lt(0.5), test: z.number().gt(0).lt(0.5) }),
    models: z.array(targetSchema).default([]),
    fromLabels: z.array(labelledTargetSchema).default([]),
  })
  .refine(
    (p) => p.models.length + p.fromLabels.length > 0,
    'give at least one target in models or fromLabels',
  );

export type PipelineConfig = z.infer<typeof pipelineSchema>;

export function parsePipelineConfig(json: unknown): PipelineConfig {
  const parsed = pipelineSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `invalid pipeline config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  for (const m of parsed.data.models) {
    const late = m.earlierCutoffs.find((c) => c >= m.cutoff);
    if (late)
      throw new Error(`invalid pipeline config: ${m.name}: earlier cutoff ${late} is not before ${m.cutoff}`);
    if (m.earlierCutoffs.length > 0 && m.source)
      throw new Error(
        `invalid pipeline config: ${m.name}: earlierCutoffs and a prediction-log source exclude each other`,
      );
    const problem = labelProblem(m);
    if (problem) throw new Error(`invalid pipeline config: ${m.name}: ${problem}`);
  }
  return parsed.data;
}

export function readPipelineConfig(path: string): PipelineConfig {
  return parsePipelineConfig(JSON.parse(readFileSync(path, 'utf8')));
}

/** What is wrong with a target's label definition, or undefined. */
function labelProblem(m: TargetConfig): string | undefined {
  const l = m.label;
  if (m.task === 'uplift') {
    if (l.aggregate !== 'exists' && l.aggregate !== 'absent') return 'an uplift label is exists or absent';
    if (!l.treatment) return 'an uplift target needs label.treatment (the events of a treated row)';
    if (m.source) return 'an uplift target reads its treatment from histories, not a prediction log';
  } else if (l.treatment) return 'label.treatment is for uplift targets';
  else if (TASK_OF[l.aggregate] !== m.task)
    return `a ${l.aggregate} label needs task ${TASK_OF[l.aggregate]}`;
  for (const f of l.treatment ?? []) {
    const known = fieldsOf(f.family);
    const unknown = Object.keys(f.where).find((k) => !known.includes(k));
    if (unknown) return `${f.family} has no field ${unknown} (fields: ${known.join(', ')})`;
  }
  for (const f of [...l.events, ...(l.among ?? [])]) {
    const known = fieldsOf(f.family);
    const unknown = Object.keys(f.where).find((k) => !known.includes(k));
    if (unknown) return `${f.family} has no field ${unknown} (fields: ${known.join(', ')})`;
  }
  const needsField = l.aggregate === 'sum' || l.aggregate === 'argmax' || l.aggregate === 'items';
  if (needsField !== (l.field !== undefined))
    return `${l.aggregate} ${needsField ? 'needs' : 'takes no'} field`;
  if (l.field !== undefined) {
    const missing = l.events.find((f) => !fieldsOf(f.family).includes(l.field!));
    if (missing) return `${missing.family} has no field ${l.field}`;
  }
  const needsVocabulary = l.aggregate === 'argmax' || l.aggregate === 'items';
  if (needsVocabulary !== (l.vocabulary !== undefined))
    return `${l.aggregate} ${needsVocabulary ? 'needs' : 'takes no'} vocabulary`;
  if (l.vocabularyTop !== undefined && (l.aggregate !== 'items' || l.vocabulary !== 'products'))
    return 'vocabularyTop ranks products: items over the products vocabulary only';
  if (l.excludeRecent !== undefined && l.aggregate !== 'items') return 'excludeRecent is for items labels';
  return undefined;
}
