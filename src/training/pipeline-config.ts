import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FEATURE_NAMES } from '../features/feature-set.js';

/**
 * models/pipeline.json: the targets `make models` trains. A target is configuration only: a
 * task, a cutoff, a population, a label definition from the kinds below, and a feature list.
 */
const labelSchema = z.discriminatedUnion('kind', [
  /** 1 when the customer has no purchase and no service usage in the window. */
  z.object({ kind: z.literal('no_activity'), days: z.number().int().positive() }),
  /** 1 when the customer makes at least one purchase in the window. */
  z.object({ kind: z.literal('purchase'), days: z.number().int().positive() }),
  /** The offer of the first acceptance among offers made in the window; customers with none are left out. */
  z.object({ kind: z.literal('accepted_offer'), days: z.number().int().positive() }),
  /** Revenue in the window, in currency units. */
  z.object({ kind: z.literal('revenue'), days: z.number().int().positive() }),
]);

export type LabelDefinition = z.infer<typeof labelSchema>;

const targetSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  version: z.string().regex(/^[1-9][0-9]*$/),
  description: z.string(),
  task: z.enum(['binary', 'multiclass', 'regression']),
  cutoff: z.iso.date(),
  population: z.object({ activeWithinDays: z.number().int().positive().optional() }).default({}),
  label: labelSchema,
  features: z.array(z.enum(FEATURE_NAMES)).default([...FEATURE_NAMES]),
  hidden: z.array(z.number().int().positive()).default([32, 16]),
  target: z.enum(['identity', 'log1p']).default('identity'),
  /** log1p: the model takes log(1 + max(0, x)) of every input (inside the exported graph). */
  inputTransform: z.enum(['none', 'log1p']).default('none'),
  horizonMonths: z.number().int().positive().optional(),
  riskBands: z.object({ medium: z.number(), high: z.number() }).optional(),
  maxEpochs: z.number().int().positive().default(40),
  patience: z.number().int().positive().default(4),
  learningRate: z.number().positive().default(0.003),
  /** L2 penalty on every kernel. */
  l2: z.number().min(0).default(0),
  batchSize: z.number().int().positive().default(256),
});

export type TargetConfig = z.infer<typeof targetSchema>;

/** A target from its settings, with the defaults above filled in (for pipelines outside pipeline.json). */
export function defineTarget(input: z.input<typeof targetSchema>): TargetConfig {
  return targetSchema.parse(input);
}

const pipelineSchema = z.object({
  seed: z.number().int(),
  split: z.object({ validation: z.number().gt(0).lt(0.5), test: z.number().gt(0).lt(0.5) }),
  models: z.array(targetSchema).min(1),
});

export type PipelineConfig = z.infer<typeof pipelineSchema>;

export function parsePipelineConfig(json: unknown): PipelineConfig {
  const parsed = pipelineSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `invalid pipeline config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  for (const m of parsed.data.models) {
    if (m.label.kind === 'accepted_offer' && m.task !== 'multiclass')
      throw new Error(`${m.name}: accepted_offer labels need task multiclass`);
    if (m.label.kind === 'revenue' && m.task !== 'regression')
      throw new Error(`${m.name}: revenue labels need task regression`);
    if ((m.label.kind === 'purchase' || m.label.kind === 'no_activity') && m.task !== 'binary') {
      throw new Error(`${m.name}: ${m.label.kind} labels need task binary`);
    }
  }
  return parsed.data;
}

export function readPipelineConfig(path: string): PipelineConfig {
  return parsePipelineConfig(JSON.parse(readFileSync(path, 'utf8')));
}
