import { randomUUID } from 'node:crypto';
import { OnlineFeatureStore, ROW_COLUMNS } from '../../features/online-store.js';
import type { RedisClient } from '../../features/redis/redis-client.js';
import { redisKeys } from '../../features/redis/redis-online-rows.js';
import { ONLINE_TABLE } from '../../features/sql/schema.js';
import type { SqlBackend } from '../../features/sql/sql-backend.js';

export interface PublishOptions {
  prefix: string;
  /** How long a published row lives without a newer publication (a safety net, not the switch). */
  ttlSeconds: number;
  /** How long the replaced version's keys stay readable after the switch (calls in flight). */
  graceSeconds?: number;
  chunkRows?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Copies the store's last materialization (the online table) to Redis as a new version, then
 * switches the version key in one SET: every reader moves from the whole old base to the whole
 * new one. The table is read in chunks (memory bounded by a chunk, whatever the base's size), each
 * chunk written as one pipeline per node. The replaced version's keys expire after a grace
 * period. One publisher at a time (a lock key with a token); a second one fails naming it.
 */
export async function publishToRedis(
  backend: SqlBackend,
  client: RedisClient,
  options: PublishOptions,
): Promise<{ version: string; customers: number; previous: string | undefined }> {
  const info = await new OnlineFeatureStore(backend).getFeatureSetInfo();
  if (!info) throw new Error('the store holds no materialization to publish');
  const { prefix } = options;
  const token = randomUUID();
  const lock = redisKeys.publishing(prefix);
  if ((await client.set(lock, token, 'EX', 3_600, 'NX')) !== 'OK')
    throw new Error(`another publication holds ${lock}; it expires within an hour if its publisher died`);
  try {
    const version = `${info.asOf}.${Date.now().toString(36)}`;
    let done = 0;
    for await (const rows of backend.streamArrays(
      `SELECT ${ROW_COLUMNS} FROM ${ONLINE_TABLE} ORDER BY customer_id`,
      [],
      options.chunkRows ?? 2_000,
    )) {
      await Promise.all(
        rows.map((row) =>
          client.set(
            redisKeys.row(prefix, version, String(row[0])),
            JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)),
            'EX',
            options.ttlSeconds,
          ),
        ),
      );
      done += rows.length;
      options.onProgress?.(done, info.customerCount);
    }
    const previous = (await client.get(redisKeys.current(prefix))) ?? undefined;
    await client.set(redisKeys.current(prefix), version);
    if (previous && previous !== version)
      await expireVersion(client, prefix, previous, options.graceSeconds ?? 120);
    return { version, customers: done, previous };
  } finally {
    if ((await client.get(lock)) === token) await client.del(lock);
  }
}

/** Gives every key of a version `seconds` to live (SCAN over each master of a cluster). */
async function expireVersion(client: RedisClient, prefix: string, version: string, seconds: number) {
  const nodes = 'nodes' in client && typeof client.nodes === 'function' ? client.nodes('master') : [client];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(
        cursor,
        'MATCH',
        redisKeys.version(prefix, version),
        'COUNT',
        1_000,
      );
      cursor = next;
      await Promise.all(keys.map((k) => node.expire(k, seconds)));
    } while (cursor !== '0');
  }
}
