import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * models/serving-policy.json: per model, which versions load, the labels that name versions, the
 * one calls get by default, a canary share and a shadow. Optional: without it (or without an entry
 * for a model) every version in the folder loads and the highest serves. Re-read on every scan of
 * the folder; an invalid file is refused with a log line and the last good policy keeps serving.
 * Rollback is one edit: set the canary's percent to 0 or point `default` back at the old version.
 *
 * {
 *   "models": {
 *     "churn": {
 *       "versions": { "latest": 2 },            // or { "specific": ["1", "3"] }; default: all
 *       "labels": { "stable": "1", "canary": "2" },
 *       "default": "stable",                     // a label or a version; default: the highest
 *       "canary": { "version": "canary", "percent": 10 },  // customers, sticky by id hash
 *       "shadow": "canary"                       // scored on the default's rows, never returned
 *     }
 *   }
 * }
 *
 * Canary and shadow apply to calls that name no version; a call that names one gets it.
 */
export const POLICY_FILE = 'serving-policy.json';

const VERSION = z.string().regex(/^[1-9][0-9]{0,9}$/, 'a version is a positive integer');
const LABEL = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a label is 1-32 of a-z 0-9 _ -, starting with a letter');

const modelPolicySchema = z
  .object({
    versions: z
      .union([
        z.object({ latest: z.number().int().min(1).max(100) }).strict(),
        z.object({ specific: z.array(VERSION).min(1).max(100) }).strict(),
      ])
      .optional(),
    labels: z.record(LABEL, VERSION).default({}),
    default: z.union([LABEL, VERSION]).optional(),
    canary: z
      .object({
        version: z.union([LABEL, VERSION]),
        percent: z.number().min(0).max(100).multipleOf(0.01),
      })
      .strict()
      .optional(),
    shadow: z.union([LABEL, VERSION]).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const refs = { default: p.default, 'canary.version': p.canary?.version, shadow: p.shadow };
    // A canary of the default version would be dropped at routing: refused, not silently kept.
    const resolve = (ref: string | undefined) => (ref === undefined ? undefined : (p.labels[ref] ?? ref));
    const defaultVersion = resolve(p.default);
    if (p.canary && defaultVersion !== undefined && resolve(p.canary.version) === defaultVersion)
      ctx.addIssue({
        code: 'custom',
        message: `canary.version is the default version ${defaultVersion}: a canary routes a share of customers to another version`,
      });
    for (const [field, ref] of Object.entries(refs))
      if (ref !== undefined && !/^[0-9]/.test(ref) && !(ref in p.labels))
        ctx.addIssue({
          code: 'custom',
          message: `${field} names label ${ref}, which labels does not define`,
        });
    if (p.versions && 'specific' in p.versions) {
      const listed = new Set(p.versions.specific);
      for (const [label, version] of Object.entries(p.labels))
        if (!listed.has(version))
          ctx.addIssue({
            code: 'custom',
            message: `label ${label} names version ${version}, which versions does not load`,
          });
      for (const [field, ref] of Object.entries(refs))
        if (ref !== undefined && /^[0-9]/.test(ref) && !listed.has(ref))
          ctx.addIssue({
            code: 'custom',
            message: `${field} names version ${ref}, which versions does not load`,
          });
    }
  });

const policySchema = z
  .object({ models: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), modelPolicySchema).default({}) })
  .strict();

export type ModelPolicy = z.infer<typeof modelPolicySchema>;
export type ServingPolicy = z.infer<typeof policySchema>;

export const EMPTY_POLICY: ServingPolicy = { models: {} };

export function parseServingPolicy(json: unknown): ServingPolicy {
  const parsed = policySchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  return parsed.data;
}

/** The policy file's signature (changes when it is rewritten), or undefined when there is none. */
export function policySignature(dir: string): string | undefined {
  const path = join(dir, POLICY_FILE);
  if (!existsSync(path)) return undefined;
  const s = statSync(path);
  return `${s.mtimeMs}:${s.size}`;
}

export function readServingPolicy(dir: string): ServingPolicy {
  const path = join(dir, POLICY_FILE);
  if (!existsSync(path)) return EMPTY_POLICY;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`not valid JSON: ${(err as Error).message}`);
  }
  return parseServingPolicy(json);
}

/**
 * Writes the policy file whole (a temporary file renamed over it), so a reader never sees half of
 * it. The caller has validated the policy.
 */
export function writeServingPolicy(dir: string, policy: ServingPolicy): void {
  const path = join(dir, POLICY_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(policy, null, 2)}\n`);
  renameSync(temporary, path);
}

/** The versions of a model that load, among those in the folder. */
export function allowedVersions(policy: ModelPolicy | undefined, found: readonly string[]): Set<string> {
  const versions = policy?.versions;
  if (!versions) return new Set(found);
  if ('specific' in versions) return new Set(found.filter((v) => versions.specific.includes(v)));
  return new Set([...found].sort((a, b) => Number(b) - Number(a)).slice(0, versions.latest));
}

/** The version a label or version names under the policy (a version names itself). */
export function versionOf(policy: ModelPolicy | undefined, labelOrVersion: string): string | undefined {
  if (/^[0-9]/.test(labelOrVersion)) return labelOrVersion;
  return policy?.labels[labelOrVersion];
}

/** Parts per 10,000 of customers a canary percent sends to the canary. */
export const CANARY_SCALE = 10_000;

/**
 * A customer's place among CANARY_SCALE buckets for one model: FNV-1a of "model:id", so a customer
 * stays with one version while the share is unchanged (and a larger share keeps every customer the
 * smaller one had), and each model's canary draws its own customers.
 */
export function canaryBucket(model: string, customerId: string): number {
  let h = 0x811c9dc5;
  const key = `${model}:${customerId}`;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // FNV's low bits mix poorly for short keys: fold the high half in before reducing.
  h ^= h >>> 16;
  return (h >>> 0) % CANARY_SCALE;
}
