import * as grpc from '@grpc/grpc-js';
import { SpanKind, type SpanOptions, SpanStatusCode } from '@opentelemetry/api';
import type { Logger } from '../logger.js';
import type { CallerAuth } from '../security/caller-auth.js';
import { type CallTracker, callWork } from '../serving/admission.js';
import { callScope, setCallScope } from '../serving/call-scope.js';
import type { RpcObserver } from '../telemetry/observers.js';
import { context, contextFromMetadata, trace, tracer } from '../telemetry/tracer.js';
import { callSignal } from './call-guard.js';
import { checkDecoded } from './malformed-request.js';
import { toServiceError } from './status.js';

type UnaryImplementation<Req, Res> = (request: Req, signal: AbortSignal) => Promise<Res>;
type StreamImplementation<Req, Res> = (
  call: grpc.ServerWritableStream<Req, Res>,
  signal: AbortSignal,
) => Promise<void>;

/**
 * What a service's methods do, transport aside, typed from its generated handlers: a unary
 * method answers its request (or rejects with the error to answer), a streaming one writes to
 * its call. Both get an AbortSignal that fires at the deadline or on cancellation.
 */
export type Implementation<Handlers> = {
  // The generated handler types extend an index signature; only the named methods count.
  [K in keyof Handlers as string extends K ? never : K]: Handlers[K] extends grpc.handleServerStreamingCall<
    infer Req,
    infer Res
  >
    ? StreamImplementation<Req, Res>
    : Handlers[K] extends grpc.handleUnaryCall<infer Req, infer Res>
      ? UnaryImplementation<Req, Res>
      : never;
};

/**
 * The per-call wrapper every RPC goes through: decoding check, admission, the RPC span
 * (continuing the caller's W3C trace context), the work under the call's deadline signal, its
 * status in the span and the metrics, and the answer or the error as grpc-js wants it.
 */
export class CallWrapper {
  constructor(
    private readonly tracker: CallTracker,
    private readonly logger: Logger,
    private readonly observer: RpcObserver,
    private readonly auth?: CallerAuth,
    /** Whether calls record who made them (the prediction log reads it); off, nothing is kept. */
    private readonly recordScopes = true,
  ) {}

  /**
   * grpc-js handlers for a service, built from its definition: each method's name, path and
   * kind (unary or server streaming) come from the contract, so no name is typed twice and a
   * method without an implementation fails at start-up.
   */
  handlers<H>(
    service: grpc.ServiceDefinition,
    implementation: Implementation<H>,
  ): grpc.UntypedServiceImplementation {
    const impl = implementation as unknown as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(service).map(([name, method]) => {
        const fn = impl[name];
        if (typeof fn !== 'function') throw new Error(`no implementation of ${method.path}`);
        const [, serviceName, methodName] = method.path.split('/') as [string, string, string];
        return [
          name,
          method.responseStream
            ? this.streaming(serviceName, methodName, fn as StreamImplementation<unknown, unknown>)
            : this.unary(serviceName, methodName, fn as UnaryImplementation<unknown, unknown>),
        ];
      }),
    );
  }

  private unary(
    service: string,
    method: string,
    fn: UnaryImplementation<unknown, unknown>,
  ): grpc.handleUnaryCall<unknown, unknown> {
    const rpc = rpcOf(service, method);
    return (call, callback) => {
      this.serve(rpc, call, false, (signal) => fn(call.request, signal)).then(
        (response) => callback(null, response),
        (answer: Partial<grpc.ServiceError>) => callback(answer),
      );
    };
  }

  private streaming(
    service: string,
    method: string,
    fn: StreamImplementation<unknown, unknown>,
  ): grpc.handleServerStreamingCall<unknown, unknown> {
    const rpc = rpcOf(service, method);
    return (call) => {
      this.serve(rpc, call, true, (signal) => fn(call, signal)).then(
        () => call.end(),
        (answer: Partial<grpc.ServiceError>) => {
          if (!call.cancelled) call.emit('error', answer);
        },
      );
    };
  }

  /** Rejects with the ServiceError to answer. */
  private async serve<T>(
    rpc: Rpc,
    call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>,
    streaming: boolean,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const { method } = rpc;
    const started = performance.now();
    const parent = contextFromMetadata(call.metadata);
    const span = tracer.startSpan(rpc.path, rpc.spanOptions, parent);
    let code: grpc.status = grpc.status.OK;
    // The metric label: a caller of the policy (a bounded set), "none" for a call refused before
    // it was known and allowed; undefined with authorization off.
    let caller: string | undefined = this.auth ? 'none' : undefined;
    try {
      if (this.auth) {
        caller = this.auth.authorize(call, rpc.path);
        span.setAttribute('enduser.id', caller);
      }
      checkDecoded(call.request);
      const release = this.tracker.admit(streaming ? 0 : workOf(call.request), deadlineOf(call));
      // Streams and recorded calls need a signal of their own (a stream's reader may leave at any
      // time; the call scope is keyed by the signal).
      const { signal, done } = callSignal(call, streaming || this.recordScopes);
      if (this.recordScopes) setCallScope(signal, callScope(call.metadata.get('x-request-id')[0], caller));
      try {
        // An untraced call (no SDK, or not sampled) skips making a context for its span.
        if (!span.isRecording()) return await work(signal);
        return await context.with(trace.setSpan(parent, span), () => work(signal));
      } finally {
        done();
        release();
      }
    } catch (err) {
      const answer = toServiceError(err, caller ? this.logger.child({ caller }) : this.logger, method);
      code = answer.code ?? grpc.status.UNKNOWN;
      span.setStatus({ code: SpanStatusCode.ERROR, message: answer.details });
      throw answer;
    } finally {
      span.setAttribute('rpc.grpc.status_code', code);
      span.end();
      this.observer.onRpc(method, code, (performance.now() - started) / 1000, caller);
    }
  }
}

/** What every call of one method shares, built once: its names and its span's options. */
interface Rpc {
  method: string;
  /** "service/Method", as the access policy and the span name it. */
  path: string;
  spanOptions: SpanOptions;
}

function rpcOf(service: string, method: string): Rpc {
  return {
    method,
    path: `${service}/${method}`,
    spanOptions: {
      kind: SpanKind.SERVER,
      attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method },
    },
  };
}

/**
 * The work a call asks for, in single-customer calls (admission.ts), by its customers or input
 * rows. An explained call weighs 0, as a stream does: its cost is the explainer's, on the workers,
 * bounded by the explainer's own concurrency, and weighing it as a plain call of its size taught
 * the admission a rate that made every call look slow (one client's back-to-back explained calls
 * of 100 shed 58 of 60 single-customer probes).
 */
export function workOf(request: unknown): number {
  const r = request as { customers?: unknown[]; rows?: unknown[]; explain?: boolean };
  if (r.explain === true) return 0;
  return callWork(Math.max(1, r.customers?.length ?? r.rows?.length ?? 1));
}

/** The call's deadline in epoch milliseconds (infinite when the caller set none). */
function deadlineOf(call: { getDeadline(): grpc.Deadline }): number {
  const deadline = call.getDeadline();
  return deadline instanceof Date ? deadline.getTime() : Number(deadline);
}
