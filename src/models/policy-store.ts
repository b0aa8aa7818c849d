import { Errors } from '../errors.js';
import type { Logger } from '../logger.js';
import { MODEL_NAME } from './repository-scan.js';
import {
  EMPTY_POLICY,
  parseServingPolicy,
  policySignature,
  readServingPolicy,
  type ServingPolicy,
  writeServingPolicy,
} from './serving-policy.js';

/**
 * The owner of models/serving-policy.json as in force: re-read when the file changed (an invalid
 * file is refused with a log line and the last good policy stays), and changed one model's entry
 * at a time (validated first; a refused change writes nothing).
 */
export class PolicyStore {
  readonly stats = { reloads: 0, rejections: 0 };
  private policy: ServingPolicy = EMPTY_POLICY;
  private signature: string | undefined;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  get current(): ServingPolicy {
    return this.policy;
  }

  /** Re-reads the file when its signature changed. */
  reload(): void {
    const signature = policySignature(this.dir);
    if (signature === this.signature) return;
    this.signature = signature;
    try {
      this.policy = readServingPolicy(this.dir);
      this.stats.reloads++;
      this.logger.info({ models: Object.keys(this.policy.models) }, 'serving policy loaded');
    } catch (err) {
      this.stats.rejections++;
      this.logger.error(
        { reason: (err as Error).message },
        'serving policy refused; the last good policy keeps serving',
      );
    }
  }

  /**
   * Writes the policy with one model's entry replaced (undefined removes it), based on the policy
   * in force (so an invalid file on disk is replaced, not merged); the next reload reads it.
   * INVALID_ARGUMENT, writing nothing, for a malformed name or an invalid result.
   */
  write(name: string, entry: unknown): void {
    if (!MODEL_NAME.test(name))
      throw Errors.invalidArgument('a model name is 1-64 of a-z, 0-9 and _, starting with a letter');
    const models: Record<string, unknown> = { ...this.policy.models };
    if (entry === undefined) delete models[name];
    else models[name] = entry;
    let next: ServingPolicy;
    try {
      next = parseServingPolicy({ models });
    } catch (err) {
      throw Errors.invalidArgument(`the serving policy would be invalid: ${(err as Error).message}`);
    }
    writeServingPolicy(this.dir, next);
    // A rewrite within the file system's time resolution could keep its signature: force a read.
    this.signature = 'rewritten';
  }
}
