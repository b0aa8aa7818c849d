import { z } from 'zod';

/**
 * The manifest beside every model (models/<name>/<version>/manifest.json): what the serving side
 * needs to feed the model and read its output, and what people need before trusting it. Written
 * by the training pipeline, read by the model registry; anyone may write one by hand for a
 * .tflite of their own.
 */
export const OUTPUT_KINDS = [
  'binary_probability',
  'class_probabilities',
  'regression',
  'ranking',
  'uplift',
] as const;

/** The name of a model's output tensor, by output kind (in the .tflite and over the OIP). */
export const OUTPUT_TENSOR_NAMES = {
  binary_probability: 'probability',
  class_probabilities: 'probabilities',
  regression: 'value',
  ranking: 'scores',
  uplift: 'response_probabilities',
} as const satisfies Record<(typeof OUTPUT_KINDS)[number], string>;

const finite = z.number().refine(Number.isFinite, 'must be finite');
const positive = finite.refine((v) => v > 0, 'must be positive');

/** A reference distribution (drift/reference.ts): bin upper edges, each bin's share, the median. */
const referenceBins = z
  .object({
    edges: z.array(finite).max(64),
    shares: z.array(z.number().min(0).max(1)),
    median: finite,
  })
  .refine((b) => b.shares.length === b.edges.length + 1, 'one share per bin: edges.length + 1')
  .refine((b) => b.edges.every((e, i) => i === 0 || e > b.edges[i - 1]!), 'edges must ascend');

/** Rows a manifest may carry as its explanation background: bounded, the registry holds them. */
export const MAX_BACKGROUND_ROWS = 1000;

export const manifestSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _, starting with a letter'),
    version: z.string().regex(/^[1-9][0-9]{0,9}$/, 'a positive integer'),
    description: z.string().default(''),
    /** What the console calls the model in words ("Churn risk, 90 days"); its code otherwise. */
    displayName: z.string().min(1).max(80).optional(),
    createdAt: z.iso.datetime(),
    /** Names of the input row's values, in order. */
    inputs: z.array(z.string().min(1)).min(1),
    output: z.object({
      kind: z.enum(OUTPUT_KINDS),
      /** One label per output value (offer codes for NBO). */
      labels: z.array(z.string()).default([]),
      /** Maps the model's raw output to the served value. */
      transform: z.enum(['none', 'expm1', 'exp']).default('none'),
      /**
       * Served values are clamped to [min, max] after the transform: a regression network
       * extrapolates past the labels it saw, and through expm1 that grows exponentially.
       */
      clip: z.object({ min: finite, max: finite }).optional(),
      /** Display names of the labels, e.g. offer names. */
      labelNames: z.array(z.string()).optional(),
      currency: z.string().length(3).optional(),
      /** What a regression value counts when it is not money, e.g. "app sessions". */
      unit: z.string().min(1).max(64).optional(),
      /**
       * Ranking: leave out the items the customer bought in the feature store's recent window
       * (the online table's recent items) before taking the top k.
       */
      excludeRecentItems: z.boolean().default(false),
      horizonMonths: z.number().int().positive().optional(),
    }),
    thresholds: z.object({ riskBands: z.object({ medium: finite, high: finite }).optional() }).default({}),
    normalization: z
      .object({
        /** True when the model takes raw feature values (normalization is in its first layer). */
        baked: z.boolean(),
        /** A transform the graph applies to the raw inputs before the normalization. */
        inputTransform: z.enum(['none', 'log1p']).default('none'),
        mean: z.array(finite),
        std: z.array(finite),
      })
      .optional(),
    training: z
      .object({
        featuresAsOf: z.iso.date(),
        /** Days after the features' as-of that the label counts; none for labels given with their own times. */
        labelWindowDays: z.number().int().positive().optional(),
        label: z.string(),
        rows: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
        seed: z.number().int(),
        epochs: z.number().int(),
        backend: z.string(),
        /**
         * Where the rows came from when not the store at the cutoff: a prediction log's served rows,
         * or label rows joined point in time to feature views.
         */
        source: z.enum(['prediction_log', 'labels']).optional(),
      })
      .optional(),
    metrics: z.record(z.string(), finite).default({}),
    parity: z
      .object({ maxAbsError: finite, maxRelError: finite.optional(), rows: z.number().int() })
      .optional(),
    /**
     * Distributions of the held-out rows at training time, per input (in input order) and of the
     * served output (the probability, the value, or the top label's index): what drift is
     * measured against.
     */
    reference: z
      .object({ rows: z.number().int().positive(), inputs: z.array(referenceBins), output: referenceBins })
      .optional(),
    /**
     * BG/NBD and Gamma-Gamma parameters fitted on the training customers' purchase records (an
     * LTV model's probabilistic view, served beside the network's value).
     */
    clv: z
      .object({
        bgnbd: z.object({ r: positive, alpha: positive, a: positive, b: positive }),
        // q > 1: the Gamma-Gamma expected value is finite only then.
        gammaGamma: z.object({ p: positive, q: z.number().gt(1).refine(Number.isFinite), gamma: positive }),
      })
      .optional(),
    /**
     * Training rows (raw input values, in input order) that reason codes compare a customer
     * against: the "absent" values of a Shapley estimate and the base value.
     */
    explanation: z
      .object({ background: z.array(z.array(finite)).min(1).max(MAX_BACKGROUND_ROWS) })
      .optional(),
    batching: z
      .object({
        maxBatchSize: z.number().int().min(1).max(4096),
        maxQueueDelayUs: z.number().int().min(0).max(1_000_000),
        maxQueueSize: z.number().int().min(1),
      })
      .default({ maxBatchSize: 256, maxQueueDelayUs: 500, maxQueueSize: 10_000 }),
  })
  .superRefine((m, ctx) => {
    const expected = m.output.kind === 'binary_probability' ? 1 : undefined;
    if (expected && m.output.labels.length > expected) {
      ctx.addIssue({
        code: 'custom',
        message: 'a binary model has at most one output label',
        path: ['output', 'labels'],
      });
    }
    if (m.output.kind === 'uplift' && m.output.labels.length !== 2) {
      ctx.addIssue({
        code: 'custom',
        message: 'an uplift model answers two probabilities: labels [treated, untreated]',
        path: ['output', 'labels'],
      });
    }
    if (
      (m.output.kind === 'class_probabilities' || m.output.kind === 'ranking') &&
      m.output.labels.length < 2
    ) {
      ctx.addIssue({
        code: 'custom',
        message:
          m.output.kind === 'ranking'
            ? 'a ranking needs two or more items'
            : 'class probabilities need two or more labels',
        path: ['output', 'labels'],
      });
    }
    if (
      m.normalization &&
      (m.normalization.mean.length !== m.inputs.length || m.normalization.std.length !== m.inputs.length)
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'normalization needs one mean and std per input',
        path: ['normalization'],
      });
    }
    if (m.reference && m.reference.inputs.length !== m.inputs.length) {
      ctx.addIssue({ code: 'custom', message: 'one reference per input', path: ['reference', 'inputs'] });
    }
    if (m.explanation?.background.some((row) => row.length !== m.inputs.length)) {
      ctx.addIssue({
        code: 'custom',
        message: 'each background row needs one value per input',
        path: ['explanation', 'background'],
      });
    }
    const bands = m.thresholds.riskBands;
    if (bands && !(bands.medium > 0 && bands.medium < bands.high && bands.high < 1)) {
      ctx.addIssue({
        code: 'custom',
        message: 'risk bands need 0 < medium < high < 1',
        path: ['thresholds', 'riskBands'],
      });
    }
  });

export type ModelManifest = z.infer<typeof manifestSchema>;

/** Parses a manifest; throws an Error listing every problem. */
export function parseManifest(json: unknown): ModelManifest {
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `invalid manifest: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
