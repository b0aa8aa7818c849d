import { loadConfig } from '../config.js';
import { OnlineFeatureStore } from '../features/online-store.js';
import { openBackend } from '../features/open-store.js';
import { storeAddress } from '../offline/features/chunk-workers.js';
import { materialize } from '../offline/features/materialize.js';
import { ensurePublished } from '../offline/features/redis-publication.js';
import { OfflineStore } from '../offline/offline-store.js';
import { parseFlags } from './args.js';
import { progressReporter } from './progress.js';

const USAGE = `usage: node dist/cli/materialize.js [--as-of YYYY-MM-DD|last-record] [--currency CODE]
Recomputes every customer's features and RFM from the store's own records (LOYALTY_MYSQL_URL, else
LOYALTY_SQLITE_PATH) and publishes them: what the scheduled materialization job runs. Servers pick the
new materialization up at their next catalog refresh.
  --as-of        the day the features describe (default last-record: the last day the records cover)
  --currency     ISO code of the amounts (default: the currency of the last materialization)`;

async function main(): Promise<void> {
  const { values: f } = parseFlags(
    { 'as-of': { type: 'string', default: 'last-record' }, currency: { type: 'string' } },
    USAGE,
  );
  if (f['as-of'] !== 'last-record' && !/^\d{4}-\d{2}-\d{2}$/.test(f['as-of']!)) {
    process.stderr.write(`--as-of must be YYYY-MM-DD or last-record\n${USAGE}\n`);
    process.exit(2);
  }
  const config = loadConfig();
  const backend = openBackend(config.store);
  try {
    const store = new OfflineStore(backend);
    const asOf = f['as-of'] === 'last-record' ? await store.lastRecordDate() : f['as-of']!;
    if (!asOf) throw new Error('the store holds no records to materialize');
    const previous = await new OnlineFeatureStore(backend).getFeatureSetInfo();
    const currency = f.currency ?? previous?.currency;
    if (!currency) throw new Error('no earlier materialization to take the currency from: pass --currency');
    const summary = await materialize(store, {
      asOf,
      currency,
      onProgress: progressReporter('materializing features'),
      workersOpen: storeAddress(config.store),
    });
    process.stdout.write(`${summary.customers} customers materialized as of ${summary.asOf}\n`);
    if (config.redis)
      await ensurePublished(backend, config.redis, {
        force: true,
        log: (line) => process.stdout.write(`${line}\n`),
      });
  } finally {
    await backend.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`materialization failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
