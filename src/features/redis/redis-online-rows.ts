import { Errors } from '../../errors.js';
import { NO_QUERY_OBSERVER, type QueryObserver } from '../../telemetry/observers.js';
import type { RowReader } from '../feature-lookup.js';
import type { FeatureRow } from '../feature-set.js';
import { decodeRow, MAX_IDS_PER_QUERY, timedRead } from '../online-store.js';
import type { RedisClient } from './redis-client.js';

/**
 * The online table's rows in Redis, shared by every replica: one string per customer and
 * published version, the row's columns as a JSON array (decodeRow reads it as it reads SQL's),
 * and one key naming the version in force. A publication writes a whole new version, then
 * switches the version key in one SET: readers never see a half-written base.
 *
 *   <prefix>:current                 the version in force, e.g. 2025-12-31.m4x2k1
 *   <prefix>:<version>:<customer id> ["C0000001","2025-12-31","gold",...]
 */
export const redisKeys = {
  current: (prefix: string) => `${prefix}:current`,
  publishing: (prefix: string) => `${prefix}:publishing`,
  row: (prefix: string, version: string, id: string) => `${prefix}:${version}:${id}`,
  version: (prefix: string, version: string) => `${prefix}:${version}:*`,
};

export const DEFAULT_REDIS_PREFIX = 'loyalty:online';

/**
 * Reads customers' rows from Redis for the feature lookup (its first level stays in front): every
 * id of a batch as one pipeline per node (auto-pipelining), all of one version. The version in
 * force is re-read at most every `refreshMs`; when it changes, `onSwitch` empties the first level.
 * A Redis that is down or slow answers UNAVAILABLE (commands fail at once while disconnected, or
 * after the command timeout), and the client reconnects by itself.
 */
export class RedisOnlineRows implements RowReader<FeatureRow> {
  private version: string | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking: Promise<string | undefined> | undefined;

  constructor(
    private readonly client: RedisClient,
    private readonly options: { prefix: string; refreshMs: number; onSwitch: () => void },
    private readonly observer: QueryObserver = NO_QUERY_OBSERVER,
  ) {}

  /** The version in force (re-read when older than refreshMs; one read at a time). */
  async currentVersion(force = false): Promise<string | undefined> {
    if (!force && performance.now() - this.checkedAt < this.options.refreshMs) return this.version;
    this.checking ??= timedRead(this.observer, () => this.client.get(redisKeys.current(this.options.prefix)))
      .then((v) => {
        this.checkedAt = performance.now();
        const next = v ?? undefined;
        if (next !== this.version) {
          this.version = next;
          this.options.onSwitch();
        }
        return next;
      })
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  async getRows(ids: readonly string[]): Promise<Map<string, FeatureRow>> {
    if (ids.length > MAX_IDS_PER_QUERY) throw new RangeError(`at most ${MAX_IDS_PER_QUERY} ids per read`);
    const found = new Map<string, FeatureRow>();
    if (ids.length === 0) return found;
    const version = await this.currentVersion();
    if (version === undefined)
      throw Errors.failedPrecondition(
        'the Redis online store holds no published materialization: run node dist/cli/publish-redis.js',
      );
    const values = await timedRead(this.observer, () =>
      Promise.all(ids.map((id) => this.client.get(redisKeys.row(this.options.prefix, version, id)))),
    );
    values.forEach((value) => {
      if (value === null) return;
      const row = decodeRow(JSON.parse(value) as unknown[]);
      found.set(row.customerId, row);
    });
    return found;
  }
}

/**
 * A row source whose answer for one call never mixes two materializations: when the rows of a
 * call carry two as-of days (a publication switched between the first level's hits and Redis's
 * reads), the first level is emptied and the call's ids are read again, all of the version now in
 * force.
 */
export function oneAsOfPerCall<
  S extends {
    getMany(
      ids: readonly string[],
      tally?: { hits: number; misses: number },
    ): Promise<Map<string, FeatureRow | undefined>>;
    clear(): void;
  },
>(source: S): Pick<S, 'getMany'> {
  return {
    async getMany(ids, tally) {
      const first = await source.getMany(ids, tally);
      let asOf: string | undefined;
      for (const row of first.values()) {
        if (!row) continue;
        if (asOf === undefined) asOf = row.asOf;
        else if (row.asOf !== asOf) {
          source.clear();
          return source.getMany(ids, tally);
        }
      }
      return first;
    },
  };
}
