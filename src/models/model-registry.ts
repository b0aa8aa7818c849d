import { Errors } from '../errors.js';
import type { LoadResult } from '../inference/protocol.js';
import type { Logger } from '../logger.js';
import type { BatchObserver } from '../telemetry/observers.js';
import { ModelRejected } from './model-validation.js';
import { PolicyStore } from './policy-store.js';
import { type Candidate, scanRepository } from './repository-scan.js';
import type { Route } from './route.js';
import { listingOf, routeOf } from './routing.js';
import type { ModelListing, ServedModel } from './served-model.js';
import { allowedVersions, type ModelPolicy, type ServingPolicy } from './serving-policy.js';
import { type BatchingOverrides, type ModelHost, VersionLifecycle } from './version-lifecycle.js';
import { type VersionEntry, VersionTable } from './version-table.js';

export type { ModelListing, ServedModel } from './served-model.js';
export { type BatchingOverrides, batchBuckets } from './version-lifecycle.js';
export type { VersionEntry } from './version-table.js';

export interface RegistryOptions {
  dir: string;
  overrides: BatchingOverrides;
  observer?: BatchObserver;
  /**
   * How long after the last unload the workers are replaced by fresh threads, which gives the
   * unloaded versions' memory back to the system; 0: never (the space is only reused).
   */
  recycleAfterUnloadMs?: number;
}

export interface RegistryStats {
  loads: number;
  rejections: number;
  swaps: number;
  /** Versions taken out of every worker (left the folder or the policy, or replaced). */
  unloads: number;
  /** Model versions each worker held after the last load or unload, by thread id. */
  workerModels: Record<number, number>;
  policyReloads: number;
  policyRejections: number;
}

/**
 * The one owner of the loaded models. A scan loads what the repository holds and the serving
 * policy allows (new or changed folders, loaded and warmed before they serve: calls already
 * batched on an old version finish there, new calls go to the new one) and unloads what left. A
 * folder that fails validation or loading is refused with a log line and the version already
 * served stays. The parts are units of their own: the folder scan (repository-scan.ts), the
 * policy file (policy-store.ts), load and unload on the workers (version-lifecycle.ts), and
 * routing (routing.ts).
 */
export class ModelRegistry {
  private readonly policyStore: PolicyStore;
  private readonly lifecycle: VersionLifecycle;
  private readonly loadStats = { loads: 0, rejections: 0, swaps: 0, unloads: 0 };
  private workerModels: Record<number, number> = {};
  private readonly table = new VersionTable();
  private scanning: Promise<void> | undefined;
  private recycling: Promise<void> | undefined;
  private recycleTimer: NodeJS.Timeout | undefined;
  /** Policy updates, one at a time. */
  private policyWrites: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    host: ModelHost,
    private readonly options: RegistryOptions,
    private readonly logger: Logger,
  ) {
    this.policyStore = new PolicyStore(options.dir, logger);
    this.lifecycle = new VersionLifecycle(host, options, (results) => this.recordHeld(results));
    host.onReplacement(() => this.rewarm());
  }

  get stats(): RegistryStats {
    return {
      ...this.loadStats,
      workerModels: this.workerModels,
      policyReloads: this.policyStore.stats.reloads,
      policyRejections: this.policyStore.stats.rejections,
    };
  }

  /** Scans the folder; resolves once every new model version is loaded or refused. */
  scan(): Promise<void> {
    this.scanning ??= this.afterRecycling().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  watch(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => void this.scan(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.recycleTimer) clearTimeout(this.recycleTimer);
  }

  /**
   * Fresh worker threads holding the served versions, in place of the current ones (see
   * WorkerPool.recycle); never at the same time as a scan, which loads into the workers too.
   */
  async recycleWorkers(): Promise<void> {
    while (this.scanning || this.recycling) await (this.scanning ?? this.recycling);
    this.recycling = (async () => {
      const started = performance.now();
      try {
        await this.lifecycle.recycle([...this.loaded()]);
        this.logger.info(
          { versions: this.loaded().size, ms: Math.round(performance.now() - started) },
          'workers replaced by fresh threads holding the served versions; unloaded memory returned',
        );
      } catch (err) {
        this.logger.error({ err }, 'recycling the workers failed; the current ones keep serving');
      }
    })().finally(() => {
      this.recycling = undefined;
    });
    return this.recycling;
  }

  get isRecycling(): boolean {
    return this.recycling !== undefined || this.recycleTimer !== undefined;
  }

  /**
   * The version a call gets: the one it names, by number or by a label of the serving policy;
   * otherwise the policy's default, or the highest loaded.
   */
  resolve(name: string, version?: string): ServedModel {
    return this.route(name, version).primary;
  }

  /**
   * Where a call's rows go: the version it names (alone), or the policy's default with the canary
   * and shadow the policy names, when those are loaded and are other versions.
   */
  route(name: string, version?: string): Route {
    const route = routeOf(
      this.policyStore.current.models[name],
      this.table.served(name) ?? new Map(),
      version,
    );
    if (!route) throw Errors.modelNotFound(name, version, this.names());
    return route;
  }

  has(name: string): boolean {
    return (this.table.served(name)?.size ?? 0) > 0;
  }

  /** Every loaded model: name, serving version, all versions ascending, canary and shadow. */
  list(): ModelListing[] {
    const policy = this.policyStore.current;
    return this.table
      .servedNames()
      .flatMap(([name, versions]) => listingOf(name, policy.models[name], versions) ?? []);
  }

  /** Every loaded version. */
  loaded(): Set<ServedModel> {
    return this.table.loaded();
  }

  /** Every version known, loaded or not. */
  versionEntries(): VersionEntry[] {
    return this.table.all();
  }

  /** Model versions being loaded into the workers at this moment. */
  loadingVersions(): { name: string; version: string }[] {
    return this.versionEntries()
      .filter((e) => e.loading)
      .map(({ name, version }) => ({ name, version }));
  }

  /** Model versions in the folder that were refused, and why (until their files change). */
  refusedVersions(): { name: string; version: string; reason: string }[] {
    return this.versionEntries().flatMap((e) =>
      e.refusal ? [{ name: e.name, version: e.version, reason: e.refusal.reason }] : [],
    );
  }

  /** The serving policy in force (the last good one read). */
  get servingPolicy(): ServingPolicy {
    return this.policyStore.current;
  }

  /**
   * Replaces one model's entry of the serving policy (undefined removes it), writes the file and
   * rescans, as an edit of the file would; resolves once the new policy serves. Throws
   * INVALID_ARGUMENT, writing nothing, when the result is not a valid policy.
   */
  async updatePolicy(
    name: string,
    entry: unknown,
  ): Promise<{ before: ModelPolicy | null; after: ModelPolicy | null }> {
    // Before and after read inside the serialized write: another change cannot come between.
    const write = async () => {
      await this.scanning;
      const before = this.policyStore.current.models[name] ?? null;
      this.policyStore.write(name, entry);
      await this.scan();
      return { before, after: this.policyStore.current.models[name] ?? null };
    };
    const done = this.policyWrites.then(write);
    this.policyWrites = done.catch(() => undefined);
    return done;
  }

  private names(): string[] {
    return this.list().map((m) => `${m.name} (${m.versions.join(', ')})`);
  }

  private async afterRecycling(): Promise<void> {
    while (this.recycling) await this.recycling;
    await this.rescan();
  }

  private async rescan(): Promise<void> {
    this.policyStore.reload();
    const policy = this.policyStore.current;
    const found = scanRepository(this.options.dir);
    const refused = (c: Candidate) => this.table.get(c.name, c.version)?.refusal?.signature === c.signature;
    // A rewritten folder that is refused leaves the version it replaced serving.
    const eligible = (c: Candidate) => !refused(c) || this.table.served(c.name)?.has(c.version) === true;
    // Which versions serve is decided among those that load: a corrupt newest version must not
    // push a good one out of "latest N". Each pass loads what is allowed; a refusal reopens the
    // choice, so repeat (bounded: every pass that loops refuses a version).
    let present = new Set<VersionEntry>();
    for (let pass = 0; pass <= found.length; pass++) {
      const byName = new Map<string, string[]>();
      for (const c of found.filter(eligible)) byName.set(c.name, [...(byName.get(c.name) ?? []), c.version]);
      const allowed = new Map(
        [...byName].map(([name, versions]) => [name, allowedVersions(policy.models[name], versions)]),
      );
      const chosen = found.filter((c) => eligible(c) && allowed.get(c.name)?.has(c.version));
      present = new Set(chosen.map((c) => this.table.entry(c)));
      let newlyRefused = false;
      for (const c of chosen) {
        if (this.table.entry(c).signature === c.signature || refused(c)) continue;
        await this.load(c);
        if (refused(c)) newlyRefused = true;
      }
      if (!newlyRefused) break;
    }
    for (const e of this.versionEntries()) {
      if (present.has(e) || !e.model) continue;
      const model = e.model;
      e.model = undefined;
      e.signature = undefined;
      this.table.index();
      this.logger.info(
        { model: e.name, version: e.version },
        'model version left the folder or the serving policy; no longer served',
      );
      await this.unload(model);
    }
    this.table.forgetAbsent(found);
  }

  /** What each live worker holds, from the answers of a broadcast to all of them. */
  private recordHeld(results: readonly LoadResult[]): void {
    this.workerModels = Object.fromEntries(results.map((r) => [r.threadId, r.loaded]));
  }

  private async unload(model: ServedModel): Promise<void> {
    try {
      await this.lifecycle.unload(model);
      this.loadStats.unloads++;
      this.scheduleRecycle();
      this.logger.info(
        { model: model.name, version: model.version, key: model.worker.key },
        'unloaded from every worker',
      );
    } catch (err) {
      this.logger.error({ model: model.name, version: model.version, err }, 'unloading failed');
    }
  }

  /** Recycles the workers once no unload has happened for recycleAfterUnloadMs. */
  private scheduleRecycle(): void {
    const delay = this.options.recycleAfterUnloadMs ?? 0;
    if (delay <= 0) return;
    if (this.recycleTimer) clearTimeout(this.recycleTimer);
    this.recycleTimer = setTimeout(() => {
      this.recycleTimer = undefined;
      void this.recycleWorkers();
    }, delay);
    this.recycleTimer.unref();
  }

  /** Loads every served version into a worker that replaced a failed one, ahead of its tasks. */
  private async rewarm(): Promise<void> {
    for (const model of this.loaded()) {
      await this.lifecycle
        .reload(model)
        .catch((err: unknown) =>
          this.logger.error(
            { model: model.name, version: model.version, err },
            'reloading into a new worker failed',
          ),
        );
    }
    this.logger.info('a replacement worker has loaded every model');
  }

  private async load(c: Candidate): Promise<void> {
    const e = this.table.entry(c);
    e.loading = true;
    const started = performance.now();
    let model: ServedModel;
    try {
      model = await this.lifecycle.load(c);
    } catch (err) {
      this.loadStats.rejections++;
      const reason = err instanceof ModelRejected ? err.message : (err as Error).message;
      e.refusal = { signature: c.signature, reason };
      this.logger.error(
        { model: c.name, version: c.version, reason },
        'model refused; the version already served stays',
      );
      return;
    } finally {
      e.loading = false;
    }
    this.logger.info(
      {
        model: c.name,
        version: c.version,
        key: model.worker.key,
        buckets: model.worker.buckets,
        ms: Math.round(performance.now() - started),
      },
      'model loaded and warmed up in every worker',
    );
    const before = this.has(c.name) ? this.resolve(c.name) : undefined;
    const replaced = e.model;
    e.model = model;
    e.signature = c.signature;
    e.refusal = undefined;
    this.table.index();
    this.loadStats.loads++;
    const after = this.resolve(c.name);
    if (before && before !== after) {
      this.loadStats.swaps++;
      this.logger.info(
        { model: c.name, from: before.version, to: after.version },
        'now serving the new version',
      );
    }
    // A rewritten folder replaced the version: its old bytes leave the workers.
    if (replaced && replaced.worker.key !== model.worker.key) await this.unload(replaced);
  }
}
