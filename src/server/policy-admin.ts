import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { Logger } from '../logger.js';
import type { ModelRegistry } from '../models/model-registry.js';
import { ADMIN_POLICY_WRITE } from '../security/access-policy.js';
import type { CallerAuth } from '../security/caller-auth.js';
import { decode, HttpError, readJson, send } from './http-json.js';

export interface PolicyAdminDeps {
  registry: ModelRegistry;
  logger: Logger;
  /** When set, a change needs a caller allowed admin/ServingPolicy.Write; else a loopback peer. */
  auth: CallerAuth | undefined;
}

const MODEL_POLICY_PATH = /^\/admin\/v1\/serving-policy\/models\/([^/]+)$/;

/**
 * The serving policy over HTTP: read it with the rollout state of every model, and replace or
 * remove one model's entry, which writes models/serving-policy.json through the registry as an
 * edit would (validated first: a refused change writes nothing). With caller authorization on
 * (LOYALTY_AUTH_POLICY), a change needs a caller allowed "admin/ServingPolicy.Write" (bearer
 * token or client certificate); without it, changes are accepted only from the server's own host
 * (a loopback peer).
 *
 *   GET    /admin/v1/serving-policy                 the policy in force and each model's rollout
 *   PUT    /admin/v1/serving-policy/models/{name}   body: the model's entry, as in the file
 *   DELETE /admin/v1/serving-policy/models/{name}   back to the defaults (all versions, highest)
 */
export async function routeAdmin(
  deps: PolicyAdminDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (path === '/admin/v1/serving-policy') {
    if (req.method !== 'GET') throw new HttpError(405, `${req.method} is not allowed on ${path}`);
    return send(res, 200, state(deps.registry));
  }
  const m = MODEL_POLICY_PATH.exec(path);
  if (!m) throw new HttpError(404, `no such endpoint: ${req.method} ${path.slice(0, 100)}`);
  const name = decode(m[1]!);
  if (req.method !== 'PUT' && req.method !== 'DELETE')
    throw new HttpError(405, `${req.method} is not allowed on ${path.slice(0, 100)}`);
  const caller = deps.auth ? deps.auth.authorizeHttp(req, ADMIN_POLICY_WRITE) : undefined;
  if (!deps.auth && !fromLoopback(req))
    throw new HttpError(
      403,
      'serving policy changes are accepted only from the server host (or, with caller authorization on, from an allowed caller)',
    );
  const entry = req.method === 'PUT' ? await readJson(req) : undefined;
  await deps.registry.updatePolicy(name, entry);
  deps.logger.info(
    { model: name, change: req.method === 'PUT' ? entry : 'removed', peer: req.socket.remoteAddress, caller },
    'serving policy changed through the admin endpoint',
  );
  return send(res, 200, state(deps.registry));
}

function fromLoopback(req: IncomingMessage): boolean {
  const peer = req.socket.remoteAddress ?? '';
  const v4 = peer.startsWith('::ffff:') ? peer.slice(7) : peer;
  return (isIP(v4) === 4 && v4.startsWith('127.')) || peer === '::1';
}

/** The policy in force, and what serves for each loaded model under it. */
function state(registry: ModelRegistry) {
  return {
    policy: registry.servingPolicy,
    models: registry.list().map((m) => ({
      name: m.name,
      versions: m.versions,
      serving: m.serving.version,
      canary: m.canary ?? null,
      shadow: m.shadow ?? null,
    })),
  };
}
