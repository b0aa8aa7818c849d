import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A Redis server or a Redis Cluster, as the online store uses either. */
export type RedisClient = Redis | Cluster;

/**
 * Options of every connection: commands fail at once while disconnected (no offline queue, so a
 * call is answered within its deadline, not held until Redis is back), each command within
 * `commandTimeoutMs`, reconnection in the background every 100 ms up to 1 s, and the commands of
 * one turn of the event loop sent as one pipeline per node (auto-pipelining: one round trip for
 * a call's ids, across a cluster's slots too).
 */
function options(commandTimeoutMs: number): RedisOptions {
  return {
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(100 * times, 1_000),
  };
}

/**
 * A client of LOYALTY_REDIS_URL: redis://[user:pass@]host:port[/db] or rediss:// (TLS) for one
 * server; redis+cluster://host:port,host:port for a cluster (its seed nodes). Waits up to
 * `readyWithinMs` for the connection, then returns the client connected or not: a server
 * starting during a Redis outage serves what it can and connects when Redis is back (a job that
 * needs Redis checks with a PING).
 */
export async function openRedis(
  url: string,
  commandTimeoutMs = 500,
  readyWithinMs = 2_000,
): Promise<RedisClient> {
  let client: RedisClient;
  if (url.startsWith('redis+cluster://')) {
    const nodes = url
      .slice('redis+cluster://'.length)
      .split(',')
      .map((hostPort) => {
        const [host, port] = hostPort.split(':');
        return { host: host!, port: Number(port ?? 6379) };
      });
    client = new Cluster(nodes, {
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      redisOptions: options(commandTimeoutMs),
    });
  } else client = new Redis(url, options(commandTimeoutMs));
  // Errors surface on the commands; a background reconnection's failures are not unhandled.
  client.on('error', () => {});
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, readyWithinMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return client;
}
