import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Errors } from '../errors.js';
import { FEATURE_NAMES } from '../features/feature-set.js';
import { type BatchingOptions, BatchScheduler } from '../inference/batch-scheduler.js';
import type { LoadResult, WorkerModel } from '../inference/protocol.js';
import type { WorkerPool } from '../inference/worker-pool.js';
import type { Logger } from '../logger.js';
import type { BatchObserver } from '../telemetry/observers.js';
import { ModelRejected, validateModel } from './model-validation.js';
import type { Route } from './route.js';
import type { ModelListing, ServedModel } from './served-model.js';
import {
  allowedVersions,
  CANARY_SCALE,
  EMPTY_POLICY,
  parseServingPolicy,
  policySignature,
  readServingPolicy,
  type ServingPolicy,
  versionOf,
  writeServingPolicy,
} from './serving-policy.js';

export type { ModelListing, ServedModel } from './served-model.js';

export interface BatchingOverrides {
  maxBatchSize?: number;
  maxQueueDelayUs?: number;
  maxQueueSize?: number;
}

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

/** Batch sizes a worker keeps an interpreter for: 1, 4, 16, ... up to the model's largest batch. */
export function batchBuckets(maxBatchSize: number): number[] {
  const buckets: number[] = [];
  for (let b = 1; b < maxBatchSize; b *= 4) buckets.push(b);
  buckets.push(maxBatchSize);
  return buckets;
}

interface Candidate {
  name: string;
  version: string;
  dir: string;
  signature: string;
}

const NAME = /^[a-z][a-z0-9_]{0,63}$/;
const VERSION = /^[1-9][0-9]{0,9}$/;

/**
 * The one owner of the loaded models. Loads models/<name>/<version>/ folders into every worker
 * (warmed up), serves the highest version of each name, and on a rescan loads what is new or
 * changed before swapping it in: calls already batched on the old version finish there, new
 * calls go to the new one, and nothing fails in between. A folder that fails validation or
 * loading is refused with a log line and the version already served stays.
 */
export class ModelRegistry {
  readonly stats: RegistryStats = {
    loads: 0,
    rejections: 0,
    swaps: 0,
    unloads: 0,
    workerModels: {},
    policyReloads: 0,
    policyRejections: 0,
  };
  private policy: ServingPolicy = EMPTY_POLICY;
  private policySignature: string | undefined;
  private readonly versions = new Map<string, Map<string, ServedModel>>();
  private readonly signatures = new Map<string, string>();
  /** Versions being loaded into the workers now, as "name/version". */
  private readonly loading = new Set<string>();
  /** Versions refused, by "name/version": the signature of the files refused, and why. */
  private readonly refused = new Map<string, { signature: string; reason: string }>();
  private scanning: Promise<void> | undefined;
  private recycling: Promise<void> | undefined;
  private recycleTimer: NodeJS.Timeout | undefined;
  /** Policy updates, one at a time. */
  private policyWrites: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: WorkerPool,
    private readonly options: RegistryOptions,
    private readonly logger: Logger,
  ) {
    pool.onReplacement(() => this.rewarm());
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

  /**
   * Fresh worker threads holding the served versions, in place of the current ones (see
   * WorkerPool.recycle); never at the same time as a scan, which loads into the workers too.
   */
  async recycleWorkers(): Promise<void> {
    while (this.scanning || this.recycling) await (this.scanning ?? this.recycling);
    this.recycling = (async () => {
      const started = performance.now();
      try {
        await this.pool.recycle(async (broadcast) => {
          for (const model of this.served()) {
            this.recordHeld(await broadcast((barrier) => ({ kind: 'load', model: model.worker, barrier })));
          }
        });
        this.logger.info(
          { versions: this.served().length, ms: Math.round(performance.now() - started) },
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

  private served(): ServedModel[] {
    return [...this.versions.values()].flatMap((v) => [...v.values()]);
  }

  /**
   * The version a call gets: the one it names, by number or by a label of the serving policy;
   * otherwise the policy's default, or the highest loaded.
   */
  resolve(name: string, version?: string): ServedModel {
    const versions = this.versions.get(name);
    const chosen = version
      ? versions?.get(versionOf(this.policy.models[name], version) ?? '')
      : this.servingOf(name, versions);
    if (!chosen) throw Errors.modelNotFound(name, version, this.names());
    return chosen;
  }

  /**
   * Where a call's rows go: the version it names (alone), or the policy's default with the canary
   * and shadow the policy names, when those are loaded and are other versions.
   */
  route(name: string, version?: string): Route {
    const primary = this.resolve(name, version);
    if (version) return { primary, canary: undefined, shadow: undefined };
    const { canary, shadow } = this.rollout(name, primary);
    return { primary, canary, shadow };
  }

  private rollout(name: string, primary: ServedModel): Omit<Route, 'primary'> {
    const policy = this.policy.models[name];
    const versions = this.versions.get(name);
    const other = (ref: string | undefined) => {
      const m = ref === undefined ? undefined : versions?.get(versionOf(policy, ref) ?? '');
      return m === primary ? undefined : m;
    };
    const canaryModel = other(policy?.canary?.version);
    const buckets = Math.round(((policy?.canary?.percent ?? 0) * CANARY_SCALE) / 100);
    return {
      canary: canaryModel && buckets > 0 ? { model: canaryModel, buckets } : undefined,
      shadow: other(policy?.shadow),
    };
  }

  has(name: string): boolean {
    return (this.versions.get(name)?.size ?? 0) > 0;
  }

  /** Every loaded model: name, serving version, all versions ascending, canary and shadow. */
  list(): ModelListing[] {
    return [...this.versions.entries()]
      .filter(([, v]) => v.size > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, v]) => {
        const serving = this.servingOf(name, v)!;
        const { canary, shadow } = this.rollout(name, serving);
        return {
          name,
          serving,
          versions: [...v.keys()].sort((a, b) => Number(a) - Number(b)),
          canary: canary && { version: canary.model.version, percent: (canary.buckets * 100) / CANARY_SCALE },
          shadow: shadow?.version,
        };
      });
  }

  /** Every loaded version. */
  loaded(): Set<ServedModel> {
    return new Set([...this.versions.values()].flatMap((v) => [...v.values()]));
  }

  /** Model versions being loaded into the workers at this moment. */
  loadingVersions(): { name: string; version: string }[] {
    return [...this.loading].map((id) => {
      const [name, version] = id.split('/') as [string, string];
      return { name, version };
    });
  }

  /** Model versions in the folder that were refused, and why (until their files change). */
  refusedVersions(): { name: string; version: string; reason: string }[] {
    return [...this.refused].map(([id, r]) => {
      const [name, version] = id.split('/') as [string, string];
      return { name, version, reason: r.reason };
    });
  }

  /** The serving policy in force (the last good one read). */
  get servingPolicy(): ServingPolicy {
    return this.policy;
  }

  /**
   * Replaces one model's entry of the serving policy (undefined removes it), writes the file and
   * rescans, as an edit of the file would; resolves once the new policy serves. Throws
   * INVALID_ARGUMENT, writing nothing, when the result is not a valid policy. Based on the policy
   * in force, so an invalid file on disk is replaced, not merged.
   */
  async updatePolicy(name: string, entry: unknown): Promise<void> {
    if (!NAME.test(name))
      throw Errors.invalidArgument('a model name is 1-64 of a-z, 0-9 and _, starting with a letter');
    const write = async () => {
      const models: Record<string, unknown> = { ...this.policy.models };
      if (entry === undefined) delete models[name];
      else models[name] = entry;
      let next: ServingPolicy;
      try {
        next = parseServingPolicy({ models });
      } catch (err) {
        throw Errors.invalidArgument(`the serving policy would be invalid: ${(err as Error).message}`);
      }
      await this.scanning;
      writeServingPolicy(this.options.dir, next);
      // A rewrite within the file system's time resolution could keep its signature: force a read.
      this.policySignature = 'rewritten';
      await this.scan();
    };
    const done = this.policyWrites.then(write);
    this.policyWrites = done.catch(() => undefined);
    return done;
  }

  private names(): string[] {
    return this.list().map((m) => `${m.name} (${m.versions.join(', ')})`);
  }

  private servingOf(name: string, versions: Map<string, ServedModel> | undefined): ServedModel | undefined {
    const policy = this.policy.models[name];
    const preferred = policy?.default === undefined ? undefined : versionOf(policy, policy.default);
    if (preferred !== undefined && versions?.has(preferred)) return versions.get(preferred);
    let best: ServedModel | undefined;
    for (const m of versions?.values() ?? []) if (!best || Number(m.version) > Number(best.version)) best = m;
    return best;
  }

  private candidates(): Candidate[] {
    const root = this.options.dir;
    if (!existsSync(root)) return [];
    const found: Candidate[] = [];
    for (const name of readdirSync(root)) {
      if (!NAME.test(name) || !statSync(join(root, name)).isDirectory()) continue;
      for (const version of readdirSync(join(root, name))) {
        const dir = join(root, name, version);
        if (!VERSION.test(version) || !statSync(dir).isDirectory()) continue;
        const files = ['manifest.json', 'model.tflite'].map((f) => join(dir, f));
        if (!files.every(existsSync)) continue;
        const signature = files.map((f) => `${statSync(f).mtimeMs}:${statSync(f).size}`).join('|');
        found.push({ name, version, dir, signature });
      }
    }
    return found;
  }

  /** Re-reads the serving policy when its file changed; an invalid one leaves the last good one. */
  private reloadPolicy(): void {
    const signature = policySignature(this.options.dir);
    if (signature === this.policySignature) return;
    this.policySignature = signature;
    try {
      this.policy = readServingPolicy(this.options.dir);
      this.stats.policyReloads++;
      this.logger.info({ models: Object.keys(this.policy.models) }, 'serving policy loaded');
    } catch (err) {
      this.stats.policyRejections++;
      this.logger.error(
        { reason: (err as Error).message },
        'serving policy refused; the last good policy keeps serving',
      );
    }
  }

  private async afterRecycling(): Promise<void> {
    while (this.recycling) await this.recycling;
    await this.rescan();
  }

  private async rescan(): Promise<void> {
    this.reloadPolicy();
    const found = this.candidates();
    const refused = (c: Candidate) => this.refused.get(`${c.name}/${c.version}`)?.signature === c.signature;
    // A rewritten folder that is refused leaves the version it replaced serving.
    const eligible = (c: Candidate) => !refused(c) || (this.versions.get(c.name)?.has(c.version) ?? false);
    // Which versions serve is decided among those that load: a corrupt newest version must not
    // push a good one out of "latest N". Each pass loads what is allowed; a refusal reopens the
    // choice, so repeat (bounded: every pass that loops refuses a version).
    let present = new Set<string>();
    for (let pass = 0; pass <= found.length; pass++) {
      const byName = new Map<string, string[]>();
      for (const c of found.filter(eligible)) byName.set(c.name, [...(byName.get(c.name) ?? []), c.version]);
      const allowed = new Map(
        [...byName].map(([name, versions]) => [name, allowedVersions(this.policy.models[name], versions)]),
      );
      const chosen = found.filter((c) => eligible(c) && allowed.get(c.name)?.has(c.version));
      present = new Set(chosen.map((c) => `${c.name}/${c.version}`));
      let newlyRefused = false;
      for (const c of chosen) {
        if (this.signatures.get(`${c.name}/${c.version}`) === c.signature || refused(c)) continue;
        await this.load(c);
        if (refused(c)) newlyRefused = true;
      }
      if (!newlyRefused) break;
    }
    for (const [name, versions] of this.versions) {
      for (const [version, model] of [...versions]) {
        if (present.has(`${name}/${version}`)) continue;
        versions.delete(version);
        this.signatures.delete(`${name}/${version}`);
        this.logger.info(
          { model: name, version },
          'model version left the folder or the serving policy; no longer served',
        );
        await this.unload(model);
      }
    }
  }

  /** What each live worker holds, from the answers of a broadcast to all of them. */
  private recordHeld(results: readonly LoadResult[]): void {
    this.stats.workerModels = Object.fromEntries(results.map((r) => [r.threadId, r.loaded]));
  }

  /** Takes a version out of every worker once the calls already batched on it are done. */
  private async unload(model: ServedModel): Promise<void> {
    await model.scheduler.drained();
    try {
      const results = await this.pool.broadcast((barrier) => ({
        kind: 'unload',
        key: model.worker.key,
        barrier,
      }));
      this.recordHeld(results);
      this.stats.unloads++;
      this.scheduleRecycle();
      this.logger.info(
        { model: model.name, version: model.version, key: model.worker.key },
        'unloaded from every worker',
      );
    } catch (err) {
      this.logger.error({ model: model.name, version: model.version, err }, 'unloading failed');
    }
  }

  /** Loads every served version into a worker that replaced a failed one, ahead of its tasks. */
  private async rewarm(): Promise<void> {
    for (const versions of this.versions.values()) {
      for (const model of versions.values()) {
        await this.pool
          .broadcast((barrier) => ({ kind: 'load', model: model.worker, barrier }))
          .then((results) => this.recordHeld(results))
          .catch((err: unknown) =>
            this.logger.error(
              { model: model.name, version: model.version, err },
              'reloading into a new worker failed',
            ),
          );
      }
    }
    this.logger.info('a replacement worker has loaded every model');
  }

  private async load(c: Candidate): Promise<void> {
    const id = `${c.name}/${c.version}`;
    this.loading.add(id);
    try {
      await this.loadVersion(c, id);
    } finally {
      this.loading.delete(id);
    }
  }

  private async loadVersion(c: Candidate, id: string): Promise<void> {
    let model: ServedModel;
    try {
      const bytes = readFileSync(join(c.dir, 'model.tflite'));
      const manifestJson = JSON.parse(readFileSync(join(c.dir, 'manifest.json'), 'utf8')) as unknown;
      const { manifest, outputs } = validateModel({ name: c.name, version: c.version }, manifestJson, bytes);
      const batching: BatchingOptions = {
        maxBatchSize: this.options.overrides.maxBatchSize ?? manifest.batching.maxBatchSize,
        maxQueueDelayUs: this.options.overrides.maxQueueDelayUs ?? manifest.batching.maxQueueDelayUs,
        maxQueueSize: this.options.overrides.maxQueueSize ?? manifest.batching.maxQueueSize,
      };
      const shared = new SharedArrayBuffer(bytes.length);
      new Uint8Array(shared).set(bytes);
      const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
      const worker: WorkerModel = {
        key: `${c.name}@${c.version}#${hash}`,
        bytes: shared,
        inputs: manifest.inputs.length,
        outputs,
        buckets: batchBuckets(batching.maxBatchSize),
      };
      const started = performance.now();
      const loaded = await this.pool.broadcast((barrier) => ({ kind: 'load', model: worker, barrier }));
      this.recordHeld(loaded);
      const indexes = manifest.inputs.map((n) => (FEATURE_NAMES as readonly string[]).indexOf(n));
      model = {
        name: c.name,
        version: c.version,
        manifest,
        inputs: manifest.inputs.length,
        outputs,
        featureIndex: indexes.every((i) => i >= 0) ? indexes : undefined,
        batching,
        worker,
        scheduler: new BatchScheduler(
          { name: c.name, version: c.version },
          batching,
          manifest.inputs.length,
          outputs,
          (rows, data) => this.pool.infer(worker, rows, data),
          this.options.observer,
        ),
      };
      this.logger.info(
        {
          model: c.name,
          version: c.version,
          key: worker.key,
          buckets: worker.buckets,
          ms: Math.round(performance.now() - started),
        },
        'model loaded and warmed up in every worker',
      );
    } catch (err) {
      this.stats.rejections++;
      const reason = err instanceof ModelRejected ? err.message : (err as Error).message;
      this.refused.set(id, { signature: c.signature, reason });
      this.logger.error(
        { model: c.name, version: c.version, reason },
        'model refused; the version already served stays',
      );
      return;
    }
    let versions = this.versions.get(c.name);
    if (!versions) {
      versions = new Map();
      this.versions.set(c.name, versions);
    }
    const before = this.servingOf(c.name, versions);
    const replaced = versions.get(c.version);
    versions.set(c.version, model);
    this.signatures.set(id, c.signature);
    this.refused.delete(id);
    this.stats.loads++;
    const after = this.servingOf(c.name, versions)!;
    if (before && before !== after) {
      this.stats.swaps++;
      this.logger.info(
        { model: c.name, from: before.version, to: after.version },
        'now serving the new version',
      );
    }
    // A rewritten folder replaced the version: its old bytes leave the workers.
    if (replaced && replaced.worker.key !== model.worker.key) await this.unload(replaced);
  }
}
