import { parentPort, workerData } from 'node:worker_threads';
import { FEATURE_NAMES } from '../../features/feature-set.js';
import { MysqlBackend } from '../../features/sql/mysql-backend.js';
import { PostgresBackend } from '../../features/sql/postgres-backend.js';
import type { SqlBackend } from '../../features/sql/sql-backend.js';
import { SqliteBackend } from '../../features/sql/sqlite-backend.js';
import { OfflineStore } from '../offline-store.js';
import type { ChunkMessage, StoreAddress } from './chunk-workers.js';
import { computeFeatures } from './compute-features.js';

/** A materialization worker (chunk-workers.ts): reads a chunk's histories, computes its features. */
const { store: address, asOf } = workerData as { store: StoreAddress; asOf: string };
const backend: SqlBackend =
  address.kind === 'sqlite'
    ? new SqliteBackend(address.path, { readonly: true })
    : address.kind === 'postgres'
      ? new PostgresBackend({ url: address.url, poolSize: 2, queryTimeoutMs: 600_000 })
      : new MysqlBackend({ url: address.url, poolSize: 2, queryTimeoutMs: 600_000 });
const store = new OfflineStore(backend);
const WIDTH = FEATURE_NAMES.length;

parentPort!.on(
  'message',
  async ({ seq, firstId, lastId }: { seq: number; firstId: string; lastId: string }) => {
    try {
      const histories = await store.readHistories(firstId, lastId, asOf);
      const computed = histories.flatMap((h) => computeFeatures(h, asOf) ?? []);
      const features = new Float64Array(computed.length * WIDTH);
      const rfm = new Float64Array(computed.length * 3);
      computed.forEach((c, i) => {
        features.set(c.features, i * WIDTH);
        rfm[i * 3] = c.rfm.recencyDays;
        rfm[i * 3 + 1] = c.rfm.frequency;
        rfm[i * 3 + 2] = c.rfm.monetaryCents;
      });
      const message: ChunkMessage = {
        seq,
        ids: computed.map((c) => c.customerId),
        tiers: computed.map((c) => c.tier),
        features,
        rfm,
        items: computed.map((c) => c.recentItems.join(',')),
      };
      parentPort!.postMessage(message, [features.buffer, rfm.buffer]);
    } catch (err) {
      const failed: Partial<ChunkMessage> = { seq, error: err instanceof Error ? err.message : String(err) };
      parentPort!.postMessage(failed);
    }
  },
);
