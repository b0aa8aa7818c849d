import { loadConfig } from '../config.js';
import { openBackend } from '../features/open-store.js';
import { ensurePublished } from '../offline/features/redis-publication.js';
import { parseFlags } from './args.js';

const USAGE = `usage: node dist/cli/publish-redis.js [--if-missing]
Copies the store's last materialization (LOYALTY_MYSQL_URL, else LOYALTY_SQLITE_PATH) to the Redis of
LOYALTY_REDIS_URL as a new version and switches readers to it in one step (docs/data-and-features.md).
  --if-missing   do nothing when Redis already holds a materialization of the same day`;

async function main(): Promise<void> {
  const { values: f } = parseFlags({ 'if-missing': { type: 'boolean', default: false } }, USAGE);
  const config = loadConfig();
  if (!config.redis) {
    process.stderr.write(`LOYALTY_REDIS_URL is not set\n${USAGE}\n`);
    process.exit(2);
  }
  const backend = openBackend(config.store);
  try {
    await ensurePublished(backend, config.redis, {
      force: !f['if-missing'],
      log: (line) => process.stdout.write(`${line}\n`),
    });
  } finally {
    await backend.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`publication failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
