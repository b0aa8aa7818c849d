import { OnlineFeatureStore } from '../../features/online-store.js';
import { openRedis } from '../../features/redis/redis-client.js';
import { redisKeys } from '../../features/redis/redis-online-rows.js';
import type { SqlBackend } from '../../features/sql/sql-backend.js';
import { publishToRedis } from './publish-redis.js';

/**
 * Publishes the store's materialization to Redis unless Redis already holds one of the same
 * as-of day (`force`: always). What `make serve` does before serving with LOYALTY_REDIS_URL, and
 * what the materialize and publish-redis commands do after a materialization.
 */
export async function ensurePublished(
  backend: SqlBackend,
  redis: { url: string; prefix: string; ttlSeconds: number },
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<void> {
  const client = await openRedis(redis.url, 10_000);
  try {
    // A publication needs Redis now: an unreachable one fails here, naming it.
    await client.ping().catch((err: unknown) => {
      throw new Error(
        `Redis at ${redis.url} did not answer: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    const info = await new OnlineFeatureStore(backend).getFeatureSetInfo();
    if (!info) return;
    const current = await client.get(redisKeys.current(redis.prefix));
    if (!options.force && current?.startsWith(`${info.asOf}.`)) return;
    const started = performance.now();
    const published = await publishToRedis(backend, client, {
      prefix: redis.prefix,
      ttlSeconds: redis.ttlSeconds,
    });
    options.log?.(
      `${published.customers} customers published to Redis as version ${published.version} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await client.quit().catch(() => {});
  }
}
