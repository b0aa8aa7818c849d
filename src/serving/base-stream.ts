import type { FeatureRow } from '../features/feature-set.js';
import type { CustomerFilter } from '../features/online-store.js';
import { abortable, throwIfAborted } from './signals.js';

/** Messages handed to streams and not yet written to their sockets, over all streams. */
export interface StreamStats {
  buffered: number;
  /** The most one stream ever had waiting at once. */
  peakPerStream: number;
}

/** Where a stream's chunks go: a gRPC server stream's mapper, or another transport's. */
export interface ChunkSink<T> {
  write(chunk: T, written: () => void): unknown;
}

/** What a stream reads the base from: the online table, or a feature view. */
export interface BaseSource<R extends { customerId: string } = FeatureRow> {
  scan(afterId: string, limit: number, filter?: CustomerFilter): Promise<R[]>;
}

/**
 * Streams the online table in customer id order, one chunk per `chunkSize` rows, with at most
 * one chunk waiting for the sink: the next chunk is read and built while the previous one is
 * sent, then waits for it. grpc-js would otherwise buffer 16 messages as JavaScript objects
 * before signalling back-pressure; at 10,000 customers a chunk a reader that stalled held
 * 26 MB of the server. A stalled stream now holds one chunk plus HTTP/2's flow-control window.
 */
export async function streamBase<T, R extends { customerId: string }>(
  sink: ChunkSink<T>,
  source: { store: BaseSource<R>; chunkSize: number; filter: CustomerFilter },
  toChunk: (rows: R[]) => Promise<T> | T,
  stats: StreamStats,
  signal: AbortSignal,
): Promise<void> {
  let sent: Promise<void> = Promise.resolve();
  let waiting = 0;
  let finished = false;
  let after = '';
  try {
    for (;;) {
      throwIfAborted(signal);
      const rows = await source.store.scan(after, source.chunkSize, source.filter);
      if (rows.length === 0) break;
      const chunk = await toChunk(rows);
      await abortable(sent, signal);
      waiting++;
      stats.buffered++;
      stats.peakPerStream = Math.max(stats.peakPerStream, waiting);
      sent = new Promise<void>((resolve) =>
        sink.write(chunk, () => {
          if (!finished) {
            waiting--;
            stats.buffered--;
          }
          resolve();
        }),
      );
      after = rows[rows.length - 1]!.customerId;
      if (rows.length < source.chunkSize) break;
    }
    await abortable(sent, signal);
  } finally {
    // A cancelled call never calls back: its chunk is dropped with the stream.
    finished = true;
    stats.buffered -= waiting;
  }
}
