import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { status } from '@grpc/grpc-js';
import { Errors, LoyaltyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CallTracker } from './admission.js';
import type { OipEndpoints } from './oip-endpoints.js';

/**
 * The Open Inference Protocol over HTTP/REST (JSON per the specification's inference_rest.md), a
 * thin adapter over the same OipEndpoints as the gRPC service: same validation, same batcher,
 * same admission control. Errors are `{"error": message}` with the HTTP status of the gRPC code.
 */
export interface OipRestDeps {
  oip: OipEndpoints;
  tracker: CallTracker;
  logger: Logger;
}

export interface OipRestServer {
  port: number;
  close(): Promise<void>;
}

/** A JSON body larger than this is refused (413) before it is parsed. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** An inference may take at most this long (REST has no deadline header). */
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_NESTING = 8;

const HTTP_STATUS: Partial<Record<status, number>> = {
  [status.INVALID_ARGUMENT]: 400,
  [status.NOT_FOUND]: 404,
  [status.FAILED_PRECONDITION]: 400,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.UNAVAILABLE]: 503,
  [status.DEADLINE_EXCEEDED]: 504,
  [status.CANCELLED]: 499,
};

const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/;

export async function startOipRest(deps: OipRestDeps, host: string, port: number): Promise<OipRestServer> {
  const server: Server = createServer((req, res) => {
    route(deps, req, res).catch((err: unknown) => fail(deps, res, err));
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS + 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function route(deps: OipRestDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  const { oip } = deps;
  if (req.method === 'GET' && (path === '/v2' || path === '/v2/'))
    return send(res, 200, oip.serverMetadata());
  if (req.method === 'GET' && path === '/v2/health/live') return send(res, 200, oip.serverLive());
  if (req.method === 'GET' && path === '/v2/health/ready') return send(res, 200, oip.serverReady());
  const m = MODEL_PATH.exec(path);
  if (!m) return send(res, 404, { error: `no such endpoint: ${req.method} ${path.slice(0, 100)}` });
  const name = decode(m[1]!);
  const version = m[2] === undefined ? '' : decode(m[2]);
  const action = m[3];
  if (req.method === 'GET' && action === undefined) {
    const meta = oip.modelMetadata({ name, version });
    return send(res, 200, {
      ...meta,
      inputs: meta.inputs?.map((t) => ({ ...t, shape: t.shape?.map(Number) })),
      outputs: meta.outputs?.map((t) => ({ ...t, shape: t.shape?.map(Number) })),
    });
  }
  if (req.method === 'GET' && action === '/ready')
    return send(res, 200, { name, ...oip.modelReady({ name, version }) });
  if (req.method === 'POST' && action === '/infer') return infer(deps, req, res, name, version);
  return send(res, 405, { error: `${req.method} is not allowed on ${path.slice(0, 100)}` });
}

interface RestInput {
  name?: unknown;
  shape?: unknown;
  datatype?: unknown;
  data?: unknown;
}

async function infer(
  deps: OipRestDeps,
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  version: string,
): Promise<void> {
  const body = (await readJson(req)) as { id?: unknown; inputs?: unknown; outputs?: unknown };
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw Errors.invalidArgument('the body must be a JSON object with "inputs"');
  if (!Array.isArray(body.inputs)) throw Errors.invalidArgument('"inputs" must be an array of tensors');
  const outputs = body.outputs === undefined ? [] : body.outputs;
  if (!Array.isArray(outputs)) throw Errors.invalidArgument('"outputs" must be an array');
  const inputs = (body.inputs as RestInput[]).map((t, i) => {
    if (typeof t !== 'object' || t === null) throw Errors.invalidArgument(`inputs[${i}] must be an object`);
    if (!Array.isArray(t.shape) || !t.shape.every((d) => typeof d === 'number'))
      throw Errors.invalidArgument(`inputs[${i}].shape must be an array of numbers`);
    return {
      name: String(t.name ?? ''),
      datatype: String(t.datatype ?? ''),
      shape: t.shape as number[],
      contents: { fp32Contents: flatten(t.data, `inputs[${i}].data`) },
    };
  });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const release = deps.tracker.admit(1, Date.now() + REQUEST_TIMEOUT_MS);
  try {
    const answer = await deps.oip.modelInfer(
      {
        modelName: name,
        modelVersion: version,
        id: typeof body.id === 'string' ? body.id : '',
        parameters: {},
        inputs: inputs.map((t) => ({
          ...t,
          shape: t.shape.map(String),
          parameters: {},
          contents: fill(t.contents),
        })),
        outputs: outputs.map((o: { name?: unknown }) => ({ name: String(o?.name ?? ''), parameters: {} })),
        rawInputContents: [],
      },
      controller.signal,
    );
    send(res, 200, {
      model_name: answer.modelName,
      model_version: answer.modelVersion,
      ...(answer.id ? { id: answer.id } : {}),
      outputs: (answer.outputs ?? []).map((o) => ({
        name: o.name,
        datatype: o.datatype,
        shape: o.shape?.map(Number),
        data: o.contents?.fp32Contents ?? [],
      })),
    });
  } finally {
    clearTimeout(timer);
    release();
  }
}

/** Every contents field, as the gRPC loader gives them: only FP32 values come over JSON. */
function fill(c: { fp32Contents: number[] }) {
  return {
    ...c,
    boolContents: [],
    intContents: [],
    int64Contents: [],
    uintContents: [],
    uint64Contents: [],
    fp64Contents: [],
    bytesContents: [],
  };
}

/** Tensor data, flat or nested row-major arrays, as numbers (a non-number is INVALID_ARGUMENT). */
function flatten(data: unknown, where: string): number[] {
  const out: number[] = [];
  const walk = (v: unknown, depth: number) => {
    if (typeof v === 'number') out.push(v);
    else if (Array.isArray(v) && depth < MAX_NESTING) for (const x of v) walk(x, depth + 1);
    else throw Errors.invalidArgument(`${where} must hold numbers (FP32), flat or nested arrays`);
  };
  if (!Array.isArray(data)) throw Errors.invalidArgument(`${where} must be an array of numbers`);
  walk(data, 0);
  return out;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw Errors.invalidArgument('the path is not valid percent-encoding');
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Errors.invalidArgument('the body is not valid JSON');
  }
}

class HttpError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function fail(deps: OipRestDeps, res: ServerResponse, err: unknown): void {
  if (err instanceof HttpError) send(res, err.httpStatus, { error: err.message });
  else if (err instanceof LoyaltyError) send(res, HTTP_STATUS[err.code] ?? 500, { error: err.message });
  else {
    deps.logger.error({ err }, 'REST call failed');
    send(res, 500, { error: 'internal error' });
  }
}
