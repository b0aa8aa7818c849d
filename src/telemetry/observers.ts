import type { Agreement } from './agreement.js';

/**
 * What the serving path reports as it works. Components take these interfaces (no-ops by
 * default), so none of them depends on how telemetry is exported.
 */
export interface RpcObserver {
  /** `caller`: who called, when authorization is on (a bounded set: the policy's callers). */
  onRpc(method: string, code: number, seconds: number, caller?: string): void;
}

export interface QueryObserver {
  onQuery(seconds: number, ok: boolean): void;
}

export interface BatchObserver {
  /** A batch ran: its rows, each request's wait in the queue, and the inference time. */
  onBatch(
    model: string,
    version: string,
    rows: number,
    queueWaitSeconds: readonly number[],
    inferenceSeconds: number,
  ): void;
  /** Requests dropped before inference (deadline passed, caller gone). */
  onDropped(model: string, version: string, requests: number): void;
  /** A batch's raw outputs, rows x width: for the distribution of what each version answers. */
  onOutputs(model: string, version: string, outputs: Float32Array, width: number): void;
}

export interface ShadowObserver {
  /** A shadow version answered rows its primary had answered: how the answers compare. */
  onShadowCompared(model: string, version: string, shadowVersion: string, agreement: Agreement): void;
  /** Rows offered to a shadow and not scored there, by reason. */
  onShadowDropped(model: string, shadowVersion: string, reason: string, rows: number): void;
}

export const NO_RPC_OBSERVER: RpcObserver = { onRpc() {} };
export const NO_QUERY_OBSERVER: QueryObserver = { onQuery() {} };
export const NO_BATCH_OBSERVER: BatchObserver = { onBatch() {}, onDropped() {}, onOutputs() {} };
export const NO_SHADOW_OBSERVER: ShadowObserver = { onShadowCompared() {}, onShadowDropped() {} };

type Present<T> = T extends undefined ? never : T;
const present = <T>(list: readonly (T | undefined)[]) => list.filter((o): o is Present<T> => o !== undefined);

/** Reports to each of several observers (the metrics, the console's live figures). */
export function batchObservers(...list: (BatchObserver | undefined)[]): BatchObserver {
  const all = present(list);
  return {
    onBatch: (...a) => {
      for (const o of all) o.onBatch(...a);
    },
    onDropped: (...a) => {
      for (const o of all) o.onDropped(...a);
    },
    onOutputs: (...a) => {
      for (const o of all) o.onOutputs(...a);
    },
  };
}

export function rpcObservers(...list: (RpcObserver | undefined)[]): RpcObserver {
  const all = present(list);
  return {
    onRpc: (...a) => {
      for (const o of all) o.onRpc(...a);
    },
  };
}

export function shadowObservers(...list: (ShadowObserver | undefined)[]): ShadowObserver {
  const all = present(list);
  return {
    onShadowCompared: (...a) => {
      for (const o of all) o.onShadowCompared(...a);
    },
    onShadowDropped: (...a) => {
      for (const o of all) o.onShadowDropped(...a);
    },
  };
}
