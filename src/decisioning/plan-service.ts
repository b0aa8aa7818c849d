import { status } from '@grpc/grpc-js';
import { LoyaltyError } from '../errors.js';
import type { BaseSource } from '../serving/base-stream.js';
import type { ActionCatalog } from './action-catalog.js';
import type { ActionScorer } from './action-scorer.js';
import type { CatalogStore } from './catalog-store.js';
import type { ContactHistory } from './contact-history.js';
import { type PlanRequest, type PlanRow, type PlanTotals, planCampaign } from './plan-campaign.js';

/** Plans at once per process: each holds its customers' pairs in memory while it assigns. */
export const MAX_CONCURRENT_PLANS = 1;

/** Campaign plans for the front ends: the catalogue in force, one plan at a time. */
export class PlanService {
  private running = 0;

  constructor(
    private readonly deps: {
      store: BaseSource;
      scorer: ActionScorer;
      contacts: ContactHistory;
      catalog: Pick<CatalogStore, 'current'>;
    },
  ) {}

  catalog(): ActionCatalog {
    return this.deps.catalog.current();
  }

  /** RESOURCE_EXHAUSTED while another plan runs. */
  async plan(
    catalog: ActionCatalog,
    request: PlanRequest,
    sink: (rows: PlanRow[]) => Promise<void>,
    signal: AbortSignal,
    onProgress?: (considered: number) => void,
  ): Promise<PlanTotals> {
    if (this.running >= MAX_CONCURRENT_PLANS)
      throw new LoyaltyError(
        status.RESOURCE_EXHAUSTED,
        'another campaign plan is running; retry when it ends',
      );
    this.running++;
    try {
      return await planCampaign({ ...this.deps, catalog }, request, sink, signal, onProgress);
    } finally {
      this.running--;
    }
  }
}
