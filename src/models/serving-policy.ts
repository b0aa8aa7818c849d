import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * models/serving-policy.json: per model, which versions load, the labels that name versions and
 * the one calls get by default. Optional: without it (or without an entry for a model) every
 * version in the folder loads and the highest serves. Re-read on every scan of the folder; an
 * invalid file is refused with a log line and the last good policy keeps serving. Rollback is one
 * edit: point `default` (or a label) back at the old version.
 *
 * {
 *   "models": {
 *     "churn": {
 *       "versions": { "latest": 2 },            // or { "specific": ["1", "3"] }; default: all
 *       "labels": { "stable": "1", "candidate": "2" },
 *       "default": "stable"                      // a label or a version; default: the highest
 *     }
 *   }
 * }
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
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.default !== undefined && !/^[0-9]/.test(p.default) && !(p.default in p.labels))
      ctx.addIssue({
        code: 'custom',
        message: `default names label ${p.default}, which labels does not define`,
      });
    if (p.versions && 'specific' in p.versions) {
      const listed = new Set(p.versions.specific);
      for (const [label, version] of Object.entries(p.labels))
        if (!listed.has(version))
          ctx.addIssue({
            code: 'custom',
            message: `label ${label} names version ${version}, which versions does not load`,
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
