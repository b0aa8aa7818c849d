import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ComputedFeatures } from './compute-features.js';

/** How a worker opens the store on a connection of its own. */
export type StoreAddress =
  | { kind: 'sqlite'; path: string }
  | { kind: 'mysql'; url: string }
  | { kind: 'postgres'; url: string };

/** A configured store's address for the workers. */
export function storeAddress(store: StoreAddress): StoreAddress {
  return store.kind === 'sqlite'
    ? { kind: 'sqlite', path: store.path }
    : { kind: store.kind, url: store.url };
}

/** One chunk's features as a worker sends them: typed arrays moved, not copied. */
export interface ChunkMessage {
  seq: number;
  ids: string[];
  tiers: string[];
  /** ids.length x features, row-major. */
  features: Float64Array;
  /** ids.length x 3: recency days, frequency, monetary cents. */
  rfm: Float64Array;
  /** Each customer's recent items, comma-joined. */
  items: string[];
  error?: string;
}

/**
 * Worker threads that read and compute chunks of the base (chunk-worker.ts), each on its own
 * connection: reading histories and computing features is most of a materialization, and it
 * splits by customer. The caller keeps at most `size` chunks in flight.
 */
export class ChunkWorkers {
  private readonly idle: Worker[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (m: ChunkMessage) => void; reject: (e: Error) => void }
  >();
  private seq = 0;
  private failed: Error | undefined;

  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.on('message', (m: ChunkMessage) => {
        const p = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        this.release(w);
        if (m.error) p?.reject(new Error(m.error));
        else p?.resolve(m);
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a materialization worker exited with ${code}`));
      });
    }
    this.idle.push(...workers);
  }

  /** `size` workers (default: the cores), or undefined where there is one core or no built worker. */
  static start(store: StoreAddress, asOf: string, size = availableParallelism()): ChunkWorkers | undefined {
    if (size < 2) return undefined;
    const script = new URL('./chunk-worker.js', import.meta.url);
    const workers = Array.from({ length: size }, () => new Worker(script, { workerData: { store, asOf } }));
    return new ChunkWorkers(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** The computed features of the customers with ids in [firstId, lastId]. */
  async compute(firstId: string, lastId: string): Promise<ComputedFeatures[]> {
    const worker = await this.acquire();
    const seq = this.seq++;
    const message = await new Promise<ChunkMessage>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      worker.postMessage({ seq, firstId, lastId });
    });
    const width = message.ids.length === 0 ? 0 : message.features.length / message.ids.length;
    return message.ids.map((customerId, i) => ({
      customerId,
      tier: message.tiers[i]!,
      features: message.features.subarray(i * width, (i + 1) * width),
      rfm: {
        recencyDays: message.rfm[i * 3]!,
        frequency: message.rfm[i * 3 + 1]!,
        monetaryCents: message.rfm[i * 3 + 2]!,
      },
      recentItems: message.items[i] === '' ? [] : message.items[i]!.split(','),
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private acquire(): Promise<Worker> {
    if (this.failed) return Promise.reject(this.failed);
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    return new Promise((resolve, reject) =>
      this.waiting.push(() => (this.failed ? reject(this.failed) : resolve(this.idle.pop()!))),
    );
  }

  private release(w: Worker): void {
    this.idle.push(w);
    this.waiting.shift()?.();
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const wake of this.waiting.splice(0)) wake();
  }
}
