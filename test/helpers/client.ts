import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { DecisionServiceDefinition } from '../../src/generated/loyalty/v1/DecisionService.js';
import type { LoyaltyServiceDefinition } from '../../src/generated/loyalty/v1/LoyaltyService.js';
import type { ModelServiceDefinition } from '../../src/generated/loyalty/v1/ModelService.js';
import { loadContract } from '../../src/server/proto.js';

// `any` in the positions not inferred: MethodDefinition's functions make its parameters invariant.
type RequestOf<M> = M extends MethodDefinition<infer Req, any, any, any> ? Req : never;
type ResponseOf<M> = M extends MethodDefinition<any, any, any, infer Res> ? Res : never;

export interface Answer<Res> {
  error: grpc.ServiceError | null;
  response: Res | undefined;
}

export interface StreamAnswer<Res> {
  error: grpc.ServiceError | null;
  messages: Res[];
}

/**
 * A client of one service typed by its generated definition: `unary('GetRfm', request)` takes
 * the request type of GetRfm and settles with its response type or its ServiceError.
 */
export class TypedClient<D> {
  constructor(readonly raw: grpc.Client) {}

  unary<K extends keyof D & string>(
    method: K,
    request: RequestOf<D[K]>,
    options: grpc.CallOptions = { deadline: Date.now() + 10_000 },
    metadata = new grpc.Metadata(),
  ): Promise<Answer<ResponseOf<D[K]>>> {
    const fn = this.method(method);
    return new Promise((resolve) => {
      fn.call(
        this.raw,
        request,
        metadata,
        options,
        (error: grpc.ServiceError | null, response?: ResponseOf<D[K]>) => resolve({ error, response }),
      );
    });
  }

  /** A server stream, opened; the caller reads, pauses or cancels it. */
  open<K extends keyof D & string>(
    method: K,
    request: RequestOf<D[K]>,
    options: grpc.CallOptions = {},
  ): grpc.ClientReadableStream<ResponseOf<D[K]>> {
    const fn = this.method(method);
    return fn.call(this.raw, request, options);
  }

  /** Every message of a server stream, and how it ended. */
  stream<K extends keyof D & string>(
    method: K,
    request: RequestOf<D[K]>,
    options: grpc.CallOptions = { deadline: Date.now() + 60_000 },
  ): Promise<StreamAnswer<ResponseOf<D[K]>>> {
    const call = this.open(method, request, options);
    const messages: ResponseOf<D[K]>[] = [];
    return new Promise((resolve) => {
      call.on('data', (m: ResponseOf<D[K]>) => messages.push(m));
      call.on('error', (error: grpc.ServiceError) => resolve({ error, messages }));
      call.on('end', () => resolve({ error: null, messages }));
    });
  }

  private method(name: string): (...args: unknown[]) => never {
    return (this.raw as unknown as Record<string, (...args: unknown[]) => never>)[name]!;
  }

  close(): void {
    this.raw.close();
  }
}

export type LoyaltyClient = TypedClient<LoyaltyServiceDefinition>;
export type ModelClient = TypedClient<ModelServiceDefinition>;

export function typedLoyaltyClient(
  port: number,
  options: grpc.ClientOptions = {},
  credentials = grpc.credentials.createInsecure(),
): LoyaltyClient {
  return loyaltyClientOf(`127.0.0.1:${port}`, options, credentials);
}

/** A client of any gRPC target, e.g. `ipv4:127.0.0.1:5001,127.0.0.1:5002` for several servers. */
export function loyaltyClientOf(
  target: string,
  options: grpc.ClientOptions = {},
  credentials = grpc.credentials.createInsecure(),
): LoyaltyClient {
  const { grpcObject } = loadContract();
  const Client = grpcObject.loyalty.v1.LoyaltyService;
  return new TypedClient(new Client(target, credentials, options));
}

export function typedModelClient(
  port: number,
  options: grpc.ClientOptions = {},
  credentials = grpc.credentials.createInsecure(),
): ModelClient {
  const { grpcObject } = loadContract();
  const Client = grpcObject.loyalty.v1.ModelService;
  return new TypedClient(new Client(`127.0.0.1:${port}`, credentials, options));
}

export type DecisionClient = TypedClient<DecisionServiceDefinition>;

export function typedDecisionClient(
  port: number,
  options: grpc.ClientOptions = {},
  credentials = grpc.credentials.createInsecure(),
): DecisionClient {
  const { grpcObject } = loadContract();
  const Client = grpcObject.loyalty.v1.DecisionService;
  return new TypedClient(new Client(`127.0.0.1:${port}`, credentials, options));
}
