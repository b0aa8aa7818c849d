import { Errors } from '../errors.js';
import type { RfmThresholds } from '../rfm/quintiles.js';
import { BackgroundRefresh } from './background-refresh.js';
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
  private readonly published: BackgroundRefresh<FeatureSetState>;

  constructor(
    private readonly store: OnlineFeatureStore,
    refreshMs: number,
    private readonly onChange: (state: FeatureSetState) => void = () => {},
  ) {
    this.published = new BackgroundRefresh(() => this.load(), refreshMs);
  }

  /**
   * The current state; throws FAILED_PRECONDITION before the first materialization of these
   * features. Once there is a state, a due refresh runs in the background and the call does not
   * wait for it (background-refresh.ts).
   */
  current(): Promise<FeatureSetState> {
    return this.published.current();
  }

  private async load(): Promise<FeatureSetState> {
    const [info, thresholds] = await Promise.all([
      this.store.getFeatureSetInfo(),
      this.store.getRfmThresholds(),
    ]);
    if (!info || !thresholds) throw Errors.notMaterialized();
    if (JSON.stringify(info.featureNames) !== JSON.stringify(FEATURE_NAMES))
      throw Errors.staleMaterialization(FEATURE_NAMES.filter((n) => !info.featureNames.includes(n)));
    const changed = this.state !== undefined && this.state.info.materializedAt !== info.materializedAt;
    this.state = { info, thresholds };
    if (changed) this.onChange(this.state);
    return this.state;
  }
}
