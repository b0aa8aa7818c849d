import { Errors } from '../errors.js';
import type { Logger } from '../logger.js';
import { type ActionCatalog, catalogSignature, readActionCatalog } from './action-catalog.js';

/**
 * The action catalogue in force (models/actions.json): re-read when the file changed, checked at
 * most once a second; an invalid file is refused with a log line and the last good catalogue
 * keeps deciding, as the serving policy does.
 */
export class CatalogStore {
  readonly stats = { reloads: 0, rejections: 0 };
  private catalog: ActionCatalog | undefined;
  private signature: string | undefined = 'unread';
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
    private readonly checkEveryMs = 1_000,
  ) {}

  /** The catalogue; FAILED_PRECONDITION when the models folder has none. */
  current(): ActionCatalog {
    this.reload();
    if (!this.catalog)
      throw Errors.failedPrecondition(
        `no action catalogue: write ${this.dir}/actions.json (docs/decisions.md) to decide`,
      );
    return this.catalog;
  }

  private reload(): void {
    const now = performance.now();
    if (now - this.checkedAt < this.checkEveryMs) return;
    this.checkedAt = now;
    const signature = catalogSignature(this.dir);
    if (signature === this.signature) return;
    this.signature = signature;
    try {
      this.catalog = readActionCatalog(this.dir);
      this.stats.reloads++;
      if (this.catalog)
        this.logger.info({ actions: this.catalog.actions.map((a) => a.code) }, 'action catalogue loaded');
    } catch (err) {
      this.stats.rejections++;
      this.logger.error(
        { reason: (err as Error).message },
        'action catalogue refused; the last good catalogue keeps deciding',
      );
    }
  }
}
