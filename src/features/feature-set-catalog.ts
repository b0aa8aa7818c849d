import { Errors } from '../errors.js';
import type { RfmThresholds } from '../rfm/quintiles.js';
import { FEATURE_NAMES, type FeatureSetInfo } from './feature-set.js';
import type { OnlineFeatureStore } from './online-store.js';

export interface FeatureSetState {
  info: FeatureSetInfo;
  thresholds: RfmThresholds;
}

/**
 * Owner of what the store's last materialization published: its date, currency and RFM
 * thresholds. Re-read every refreshMs so a new materialization is picked up without a restart;
 * when the as-of date changes, onChange runs (the feature cache is then stale).
 */
export class FeatureSetCatalog {
  private state: FeatureSetState | undefined;
  private loadedAt = 0;
  private loading: Promise<FeatureSetState> | undefined;

  constructor(
    private readonly store: OnlineFeatureStore,
    private readonly refreshMs: number,
    private readonly onChange: (state: FeatureSetState) => void = () => {},
  ) {}

  /** The current state; throws FAILED_PRECONDITION before the first materialization. */
  async current(): Promise<FeatureSetState> {
    if (this.state && Date.now() - this.loadedAt < this.refreshMs) return this.state;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    try {
      return await this.loading;
    } catch (err) {
      // A failed refresh keeps serving what was published before.
      if (this.state) return this.state;
      throw err;
    }
  }

  private async load(): Promise<FeatureSetState> {
    const [info, thresholds] = await Promise.all([
      this.store.getFeatureSetInfo(),
      this.store.getRfmThresholds(),
    ]);
    if (!info || !thresholds) throw Errors.notMaterialized();
    if (JSON.stringify(info.featureNames) !== JSON.stringify(FEATURE_NAMES))
      throw Errors.staleMaterialization();
    const changed = this.state !== undefined && this.state.info.materializedAt !== info.materializedAt;
    this.state = { info, thresholds };
    this.loadedAt = Date.now();
    if (changed) this.onChange(this.state);
    return this.state;
  }
}
