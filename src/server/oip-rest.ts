import { Errors } from '../errors.js';
import { REQUEST_TIMEOUT_MS } from '../http/http-server.js';
import { type BodyBudget, readJsonBody } from '../http/json-body.js';
import { send } from '../http/responses.js';
import type { HttpRoute, RouteContext } from '../http/route-table.js';
import type { CallTracker } from '../serving/admission.js';
import { callScope, setCallScope } from '../serving/call-scope.js';
import type { OipEndpoints } from './oip-endpoints.js';

/**
 * The Open Inference Protocol over HTTP/REST (JSON per the specification's inference_rest.md), a
 * thin adapter over the same OipEndpoints as the gRPC service: same validation, same batcher,
 * same admission control (applied before the body is read). Errors are `{"error": message}` with
 * the HTTP status of the gRPC code.
 */
export interface OipRestDeps {
  oip: OipEndpoints;
  tracker: CallTracker;
  bodies: BodyBudget;
}

const MAX_NESTING = 8;
const SERVICE = 'inference.GRPCInferenceService';
const MODEL = '/v2/models/([^/]+)(?:/versions/([^/]+))?';

export function oipRoutes(deps: OipRestDeps): HttpRoute[] {
  const { oip } = deps;
  return [
    {
      method: 'GET',
      path: /^\/v2\/?$/,
      access: [`${SERVICE}/ServerMetadata`],
      handle: ({ res }) => send(res, 200, oip.serverMetadata()),
    },
    // Health stays open for probes.
    {
      method: 'GET',
      path: /^\/v2\/health\/live$/,
      access: 'open',
      handle: ({ res }) => send(res, 200, oip.serverLive()),
    },
    {
      method: 'GET',
      path: /^\/v2\/health\/ready$/,
      access: 'open',
      handle: ({ res }) => send(res, 200, oip.serverReady()),
    },
    {
      method: 'GET',
      path: new RegExp(`^${MODEL}$`),
      access: [`${SERVICE}/ModelMetadata`],
      handle: ({ res, params }) => {
        const meta = oip.modelMetadata({ name: params[0]!, version: params[1]! });
        send(res, 200, {
          ...meta,
          inputs: meta.inputs?.map((t) => ({ ...t, shape: t.shape?.map(Number) })),
          outputs: meta.outputs?.map((t) => ({ ...t, shape: t.shape?.map(Number) })),
        });
      },
    },
    {
      method: 'GET',
      path: new RegExp(`^${MODEL}/ready$`),
      access: [`${SERVICE}/ModelReady`],
      handle: ({ res, params }) =>
        send(res, 200, { name: params[0], ...oip.modelReady({ name: params[0]!, version: params[1]! }) }),
    },
    {
      method: 'POST',
      path: new RegExp(`^${MODEL}/infer$`),
      access: [`${SERVICE}/ModelInfer`],
      handle: (ctx) => infer(deps, ctx),
    },
  ];
}

interface RestInput {
  name?: unknown;
  shape?: unknown;
  datatype?: unknown;
  data?: unknown;
}

async function infer(deps: OipRestDeps, { req, res, params, caller }: RouteContext): Promise<void> {
  const [name, version] = params as [string, string];
  // Admitted before the body is read: a shed call costs no parse.
  const release = deps.tracker.admit(1, Date.now() + REQUEST_TIMEOUT_MS);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(Errors.deadlineExceeded('serving the call')),
    REQUEST_TIMEOUT_MS,
  );
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(Errors.cancelled());
  });
  try {
    const body = (await readJsonBody(req, deps.bodies)) as {
      id?: unknown;
      inputs?: unknown;
      outputs?: unknown;
    };
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
        shape: (t.shape as number[]).map(String),
        parameters: {},
        contents: fill(flatten(t.data, `inputs[${i}].data`)),
      };
    });
    setCallScope(controller.signal, callScope(req.headers['x-request-id'], caller));
    const answer = await deps.oip.modelInfer(
      {
        modelName: name,
        modelVersion: version,
        id: typeof body.id === 'string' ? body.id : '',
        parameters: {},
        inputs,
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
function fill(fp32Contents: number[]) {
  return {
    fp32Contents,
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
