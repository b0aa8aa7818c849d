import type { ServerResponse } from 'node:http';
import { Errors } from '../errors.js';

/** Aborted when the browser goes away or the call runs longer than `timeoutMs`. */
export function callSignal(res: ServerResponse, timeoutMs: number): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(Errors.deadlineExceeded('the console call')), timeoutMs);
  timer.unref();
  res.on('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) controller.abort(new Error('the browser went away'));
  });
  return controller.signal;
}
