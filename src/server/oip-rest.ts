import type { IncomingMessage, ServerResponse } from 'node:http';
import { Errors } from '../errors.js';
import type { CallTracker } from './admission.js';
import { callScope, setCallScope } from './call-scope.js';
import { decode, readJson, send } from './http-json.js';
import type { OipEndpoints } from './oip-endpoints.js';

/**
 * The Open Inference Protocol over HTTP/REST (JSON per the specification's inference_rest.md), a
 * thin adapter over the same OipEndpoints as the gRPC service: same validation, same batcher,
 * same admission control. Errors are `{"error": message}` with the HTTP status of the gRPC code.
 */
export interface OipRestDeps {
  oip: OipEndpoints;
  tracker: CallTracker;
}

/** An inference may take at most this long (REST has no deadline header). */
export const REQUEST_TIMEOUT_MS = 30_000;
const MAX_NESTING = 8;

const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/;

/** Answers a request under /v2; throws LoyaltyError or HttpError for the caller to send. */
/** `caller`: the authorized caller, for the prediction log (undefined with authorization off). */
export async function routeOip(
  deps: OipRestDeps,
  req: IncomingMessage,
  res: ServerResponse,
  caller?: string,
): Promise<void> {
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
  if (req.method === 'POST' && action === '/infer') return infer(deps, req, res, name, version, caller);
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
  caller: string | undefined,
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
  setCallScope(controller.signal, callScope(req.headers['x-request-id'], caller));
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
