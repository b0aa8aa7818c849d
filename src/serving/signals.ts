import { Errors, LoyaltyError } from '../errors.js';

/** Rejects with the signal's reason as soon as it aborts; otherwise settles as `work` does. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal === NEVER_ABORTED) return work;
  if (signal.aborted) return Promise.reject(signal.reason as LoyaltyError);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as LoyaltyError);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof LoyaltyError ? signal.reason : Errors.cancelled();
}

/** A signal that never aborts, for calls that no deadline or cancellation can end. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;
