import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FEATURE_NAMES } from '../features/feature-set.js';
import { RFM_SEGMENTS, TIERS } from '../serving/vocabulary.js';

/**
 * models/actions.json: what the server may recommend to a customer, and the contact policy over
 * all of it. Each action has a channel, a value (a fixed amount, or a share of a model's
 * predicted value such as lifetime value), a cost per contact, the model that estimates its
 * effect (an uplift model: the incremental probability; a binary or classes model: the
 * probability of acceptance), and eligibility rules over features, segments and tiers. Read like
 * the serving policy: re-read when the file changes, an invalid file refused and the last good
 * catalogue kept.
 */
export const ACTIONS_FILE = 'actions.json';

const code = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _, starting with a letter');
const modelName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/);
const finite = z.number().refine(Number.isFinite, 'must be finite');
const range = z
  .object({ gte: finite.optional(), lte: finite.optional() })
  .strict()
  .refine((r) => r.gte !== undefined || r.lte !== undefined, 'give gte, lte or both');

const actionSchema = z
  .object({
    code,
    name: z.string().min(1).max(200),
    channel: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
    /** What a response is worth: a fixed amount, or `share` of a model's value (e.g. ltv). */
    value: z.union([
      z.object({ amount: finite.refine((v) => v >= 0, 'must be 0 or more') }).strict(),
      z.object({ model: modelName, share: z.number().gt(0).max(1) }).strict(),
    ]),
    /** What one contact costs (the same currency as the value). */
    cost: finite.refine((v) => v >= 0, 'must be 0 or more'),
    /**
     * The model whose answer is the probability the contact earns: an uplift model's incremental
     * probability, a binary model's probability, or one label of a classes model (an offer).
     */
    effect: z.object({ model: modelName, label: z.string().min(1).max(64).optional() }).strict(),
    eligibility: z
      .object({
        segments: z.array(z.enum(RFM_SEGMENTS)).min(1).optional(),
        tiers: z.array(z.enum(TIERS)).min(1).optional(),
        /** Ranges over the built-in features (FEATURE_NAMES), inclusive. */
        features: z.partialRecord(z.enum(FEATURE_NAMES), range).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

const capSchema = z
  .object({
    /** A channel, or "any" for every contact. */
    channel: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
    /** At most this many contacts... */
    max: z.number().int().min(0).max(1000),
    /** ...in this many days up to the decision. */
    days: z.number().int().positive().max(3650),
  })
  .strict();

export const catalogSchema = z
  .object({
    currency: z.string().length(3),
    contactPolicy: z
      .object({
        caps: z.array(capSchema).max(32).default([]),
        /** No contact at all in the days after any contact. */
        quietDays: z.number().int().min(0).max(365).default(0),
      })
      .strict()
      .default({ caps: [], quietDays: 0 }),
    actions: z.array(actionSchema).min(1).max(64),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.actions.forEach((a, i) => {
      if (seen.has(a.code))
        ctx.addIssue({
          code: 'custom',
          message: `action ${a.code} is declared twice`,
          path: ['actions', i, 'code'],
        });
      seen.add(a.code);
      for (const [feature, r] of Object.entries(a.eligibility.features ?? {}))
        if (r.gte !== undefined && r.lte !== undefined && r.gte > r.lte)
          ctx.addIssue({
            code: 'custom',
            message: `${feature}: gte ${r.gte} is above lte ${r.lte}`,
            path: ['actions', i, 'eligibility', 'features', feature],
          });
    });
  });

export type ActionCatalog = z.infer<typeof catalogSchema>;
export type Action = ActionCatalog['actions'][number];
export type ContactCap = ActionCatalog['contactPolicy']['caps'][number];

export function parseActionCatalog(json: unknown): ActionCatalog {
  const parsed = catalogSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  return parsed.data;
}

/** The catalogue of a models folder, or undefined when it has none. */
export function readActionCatalog(dir: string): ActionCatalog | undefined {
  const path = join(dir, ACTIONS_FILE);
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path} is not JSON: ${(err as Error).message}`);
  }
  return parseActionCatalog(json);
}

/** Changes when the file does: its modification time and size. */
export function catalogSignature(dir: string): string | undefined {
  const path = join(dir, ACTIONS_FILE);
  if (!existsSync(path)) return undefined;
  const s = statSync(path);
  return `${s.mtimeMs}:${s.size}`;
}

/** The models a catalogue reads: every action's effect model and value model. */
export function catalogModels(catalog: ActionCatalog): string[] {
  const names = new Set<string>();
  for (const a of catalog.actions) {
    names.add(a.effect.model);
    if ('model' in a.value) names.add(a.value.model);
  }
  return [...names];
}
