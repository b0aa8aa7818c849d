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

  /**
   * The current state; throws FAILED_PRECONDITION before the first materialization of these
   * features. Once there is a state, a due refresh runs in the background and the call does not
   * wait for it: the request path asks on every call, and during a database outage it must not
   * wait for a query timeout to be told what it already knows (a failed refresh keeps the state).
   */
  async current(): Promise<FeatureSetState> {
    if (this.state) {
      if (Date.now() - this.loadedAt >= this.refreshMs) void this.refresh().catch(() => {});
      return this.state;
    }
    return this.refresh();
  }

  private refresh(): Promise<FeatureSetState> {
    this.loading ??= this.load().finally(() => {
      // A failure waits a refresh period before the next try, like a success.
      this.loadedAt = Date.now();
      this.loading = undefined;
    });
    return this.loading;
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
