import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Who may call what. Two files, named by LOYALTY_AUTH_TOKENS and LOYALTY_AUTH_POLICY:
 *
 * tokens (secret; only SHA-256 hashes are stored, never the tokens):
 *   { "tokens": [ { "caller": "campaign-tool", "sha256": "<64 hex>" } ] }
 *
 * policy (which caller may call which methods; a certificate's subject CN or DNS name is the
 * caller of an mTLS connection):
 *   { "callers": {
 *       "campaign-tool": { "allow": ["loyalty.v1.LoyaltyService/ScoreCustomers"] },
 *       "ops":           { "allow": ["*"] },
 *       "crm":           { "allow": ["loyalty.v1.LoyaltyService/*", "loyalty.v1.ModelService/PredictCustomers"] } } }
 *
 * A pattern is a method path ("service/Method"), a whole service ("service/*") or "*". The
 * admin endpoint's write is the method "admin/ServingPolicy.Write", its read "admin/ServingPolicy.Read"
 * (a writer may read too); the console's reads are "console/Read", its changes "console/Write".
 */
const CALLER = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, 'a caller is 1-128 of A-Z a-z 0-9 . _ @ -');
const PATTERN = z
  .string()
  .regex(/^(\*|[A-Za-z0-9_.]+\/(\*|[A-Za-z0-9_.]+))$/, 'a method, a "service/*" or "*"');

const tokensSchema = z
  .object({
    tokens: z
      .array(
        z.object({ caller: CALLER, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex') }).strict(),
      )
      .max(10_000),
  })
  .strict();

const policySchema = z
  .object({ callers: z.record(CALLER, z.object({ allow: z.array(PATTERN).max(1_000) }).strict()) })
  .strict();

export const ADMIN_POLICY_WRITE = 'admin/ServingPolicy.Write';
/** Reading the serving policy (GET /admin/v1/serving-policy); a writer may read too. */
export const ADMIN_POLICY_READ = 'admin/ServingPolicy.Read';

export class AccessPolicy {
  private readonly tokens: Map<string, string>;

  constructor(
    tokens: z.infer<typeof tokensSchema>,
    private readonly policy: z.infer<typeof policySchema>,
  ) {
    this.tokens = new Map(tokens.tokens.map((t) => [t.sha256, t.caller]));
  }

  /** Parses both files' JSON; throws naming the file's problem (never a token). */
  static parse(tokensJson: unknown, policyJson: unknown): AccessPolicy {
    const tokens = tokensSchema.safeParse(tokensJson);
    if (!tokens.success) throw new Error(`LOYALTY_AUTH_TOKENS: ${issues(tokens.error)}`);
    const policy = policySchema.safeParse(policyJson);
    if (!policy.success) throw new Error(`LOYALTY_AUTH_POLICY: ${issues(policy.error)}`);
    return new AccessPolicy(tokens.data, policy.data);
  }

  /** The caller a bearer token belongs to, compared by hash in constant time. */
  callerOfToken(token: string): string | undefined {
    const hash = createHash('sha256').update(token).digest();
    for (const [hex, caller] of this.tokens)
      if (timingSafeEqual(Buffer.from(hex, 'hex'), hash)) return caller;
    return undefined;
  }

  /** Whether a caller the policy names may call a method ("service/Method"). */
  allows(caller: string, method: string): boolean {
    const service = method.split('/')[0];
    return (this.policy.callers[caller]?.allow ?? []).some(
      (p) => p === '*' || p === method || p === `${service}/*`,
    );
  }

  /** The callers the policy names: the bounded set a metric label may take. */
  get callers(): string[] {
    return Object.keys(this.policy.callers);
  }
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
