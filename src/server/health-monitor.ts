import type { HealthImplementation } from 'grpc-health-check';
import type { FeatureSetCatalog } from '../features/feature-set-catalog.js';
import type { OnlineFeatureStore } from '../features/online-store.js';
import type { Logger } from '../logger.js';
import type { ModelRegistry } from '../models/model-registry.js';

export const LOYALTY_SERVICE = 'loyalty.v1.LoyaltyService';
export const MODEL_SERVICE = 'loyalty.v1.ModelService';

export interface HealthDeps {
  store: OnlineFeatureStore;
  catalog: FeatureSetCatalog;
  registry: ModelRegistry;
  /** The models behind the prediction RPCs of LoyaltyService. */
  predictionModels: readonly string[];
  logger: Logger;
}

type Status = 'SERVING' | 'NOT_SERVING';

/**
 * What grpc.health.v1 answers, per service:
 * - `""` (the server): SERVING from start-up until shutdown begins. Probes that restart or
 *   unroute a process use it; an outage of the shared database is no reason to restart.
 * - `loyalty.v1.LoyaltyService`: SERVING while the feature store answers with a materialization
 *   of this version's features and every prediction RPC's model is loaded; a caller that
 *   watches it can route to another region. Cached customers and raw features are still served
 *   while it is NOT_SERVING.
 * - `loyalty.v1.ModelService`: SERVING while at least one model is loaded (Predict needs no store).
 * Checked every intervalMs, and the store probe is a read bounded by its query timeout.
 */
export class HealthMonitor {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly current = new Map<string, Status>();

  constructor(
    private readonly health: HealthImplementation,
    private readonly deps: HealthDeps,
  ) {}

  /** Checks once, then every intervalMs (0: only once). */
  async start(intervalMs: number): Promise<void> {
    this.set('', 'SERVING');
    await this.check();
    if (intervalMs > 0) {
      this.timer = setInterval(() => void this.check(), intervalMs);
      this.timer.unref();
    }
  }

  /** Everything NOT_SERVING for good: the server is shutting down. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const service of ['', LOYALTY_SERVICE, MODEL_SERVICE]) this.set(service, 'NOT_SERVING', true);
  }

  async check(): Promise<void> {
    const storeAnswers = await this.deps.store.getFeatureSetInfo().then(
      (info) => info !== undefined,
      () => false,
    );
    // The catalog refuses a missing or stale materialization (FAILED_PRECONDITION).
    const materialized =
      storeAnswers &&
      (await this.deps.catalog.current().then(
        () => true,
        () => false,
      ));
    if (this.stopped) return;
    const missing = this.deps.predictionModels.filter((name) => !this.deps.registry.has(name));
    this.set(LOYALTY_SERVICE, materialized && missing.length === 0 ? 'SERVING' : 'NOT_SERVING', false, {
      storeAnswers,
      materialized,
      missingModels: missing,
    });
    this.set(MODEL_SERVICE, this.deps.registry.list().length > 0 ? 'SERVING' : 'NOT_SERVING');
  }

  private set(service: string, status: Status, force = false, why?: object): void {
    if (this.stopped && !force) return;
    if (this.current.get(service) === status) return;
    const previous = this.current.get(service);
    this.current.set(service, status);
    this.health.setStatus(service, status);
    if (previous !== undefined) {
      const level = status === 'SERVING' ? 'info' : 'warn';
      this.deps.logger[level]({ service: service || '(server)', status, ...why }, 'health changed');
    }
  }
}
