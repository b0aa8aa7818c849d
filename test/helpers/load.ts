import { customerId } from '../../src/offline/demo/demo-data.js';
import type { LoyaltyClient } from './client.js';
import { inSeconds } from './server.js';

export interface LoadResult {
  started: number;
  ok: number;
  failures: { code: number; details: string }[];
  versions: Set<string>;
  /** The versions that answered each customer (the per-result version). */
  byCustomer: Map<string, Set<string>>;
}

/**
 * Keeps `concurrency` PredictChurn calls in flight until stopped; every call has a deadline, so
 * a hung call would show up as a DEADLINE_EXCEEDED failure rather than hang the test.
 */
export function churnLoad(client: LoyaltyClient, concurrency = 8, customers = 2_000) {
  const result: LoadResult = { started: 0, ok: 0, failures: [], versions: new Set(), byCustomer: new Map() };
  let running = true;
  let i = 0;
  const worker = async () => {
    while (running) {
      result.started++;
      const id = customerId(i++ % customers);
      const { error, response } = await client.unary(
        'PredictChurn',
        { customers: [{ customerId: id }] },
        { deadline: inSeconds(5) },
      );
      if (error) result.failures.push({ code: error.code, details: error.details });
      else {
        result.ok++;
        result.versions.add(response!.model!.version);
        const answered = response!.results[0]!.modelVersion;
        const seen = result.byCustomer.get(id) ?? new Set();
        seen.add(answered);
        result.byCustomer.set(id, seen);
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    result,
    async stop(): Promise<LoadResult> {
      running = false;
      await Promise.all(workers);
      return result;
    },
  };
}

export async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
