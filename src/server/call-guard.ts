import type { ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import { Errors } from '../errors.js';
import { NEVER_ABORTED } from '../serving/signals.js';

type AnyCall = ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>;

/**
 * An AbortSignal that fires when the call's deadline passes or the client cancels, so work for
 * a call nobody waits for stops early; `reason` is the LoyaltyError to answer with. `done()`
 * ends the watch when the call has been answered: grpc-js also reports 'cancelled' for calls
 * whose stream closes after the answer, and building an error (with its stack) for each of
 * those cost 8% of the server's CPU in a profile.
 */
export function callSignal(call: AnyCall, always: boolean): { signal: AbortSignal; done: () => void } {
  // A unary call with no deadline, whose scope nothing records, gets no signal of its own: an
  // AbortController per call was 3.6% of the main thread's time (bench/README.md), and such a
  // call's work is a few milliseconds; a client that cancels it only loses the answer.
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : Number(deadline);
  if (!always && !Number.isFinite(at)) return UNWATCHED;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onCancelled = () => controller.abort(Errors.cancelled());
  const done = () => {
    if (timer) clearTimeout(timer);
    call.removeListener('cancelled', onCancelled);
  };
  if (Number.isFinite(at)) {
    const remaining = at - Date.now();
    if (remaining <= 0) controller.abort(Errors.deadlineExceeded('waiting to start'));
    else {
      timer = setTimeout(() => controller.abort(Errors.deadlineExceeded('serving the call')), remaining);
      timer.unref();
    }
  }
  call.once('cancelled', onCancelled);
  return { signal: controller.signal, done };
}

const UNWATCHED = { signal: NEVER_ABORTED, done: () => {} };
