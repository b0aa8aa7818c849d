import { MAX_AUDIT_READ, type PolicyAudit } from '../audit/policy-audit.js';
import { sqlDateTime } from '../decisioning/contact-history.js';
import { type BodyBudget, readJsonBody } from '../http/json-body.js';
import { HttpError, send } from '../http/responses.js';
import type { HttpRoute, RouteContext } from '../http/route-table.js';
import { ANONYMOUS } from '../http/route-table.js';
import type { Logger } from '../logger.js';
import type { ModelRegistry } from '../models/model-registry.js';
import { ADMIN_POLICY_READ, ADMIN_POLICY_WRITE } from '../security/access-policy.js';

export interface PolicyAdminDeps {
  registry: Pick<ModelRegistry, 'servingPolicy' | 'list' | 'updatePolicy'>;
  logger: Logger;
  bodies: BodyBudget;
  /** Where every change is recorded: who, when, the model's entry before and after. */
  audit: PolicyAudit;
}

/** A model name as the policy file accepts it (never `__proto__` or another inherited key). */
const MODEL_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * The serving policy over HTTP: read it with the rollout state of every model, and replace or
 * remove one model's entry, which writes models/serving-policy.json through the registry as an
 * edit would (validated first: a refused change writes nothing). With caller authorization on
 * (LOYALTY_AUTH_POLICY), reading needs "admin/ServingPolicy.Read" (or .Write) and changing
 * "admin/ServingPolicy.Write"; without it, changes are accepted only from the server's own host.
 * Changes also need a Host naming this server and, from a browser, an Origin of this server.
 *
 *   GET    /admin/v1/serving-policy                 the policy in force and each model's rollout
 *   PUT    /admin/v1/serving-policy/models/{name}   body: the model's entry, as in the file
 *   DELETE /admin/v1/serving-policy/models/{name}   back to the defaults (all versions, highest)
 *   GET    /admin/v1/serving-policy/audit?limit=    the changes, newest first (who, when, before, after)
 */
export function policyAdminRoutes(deps: PolicyAdminDeps): HttpRoute[] {
  const model = /^\/admin\/v1\/serving-policy\/models\/([^/]+)$/;
  return [
    {
      method: 'GET',
      path: /^\/admin\/v1\/serving-policy$/,
      access: [ADMIN_POLICY_READ, ADMIN_POLICY_WRITE],
      handle: ({ res }) => send(res, 200, state(deps.registry)),
    },
    {
      method: 'GET',
      path: /^\/admin\/v1\/serving-policy\/audit$/,
      access: [ADMIN_POLICY_READ, ADMIN_POLICY_WRITE],
      handle: async ({ res, query }) => {
        const limit = Number(query.get('limit') ?? 50);
        if (!(Number.isInteger(limit) && limit >= 1 && limit <= MAX_AUDIT_READ))
          throw new HttpError(400, `limit is a whole number from 1 to ${MAX_AUDIT_READ}`);
        send(res, 200, { changes: await deps.audit.recent(limit) });
      },
    },
    {
      method: 'PUT',
      path: model,
      access: [ADMIN_POLICY_WRITE],
      changesState: true,
      handle: (ctx) => change(deps, ctx),
    },
    {
      method: 'DELETE',
      path: model,
      access: [ADMIN_POLICY_WRITE],
      changesState: true,
      handle: (ctx) => change(deps, ctx),
    },
  ];
}

async function change(deps: PolicyAdminDeps, { req, res, params, caller }: RouteContext): Promise<void> {
  const name = params[0]!;
  if (!MODEL_NAME.test(name))
    throw new HttpError(400, 'a model name is 1-64 of a-z, 0-9 and _, starting with a letter');
  const entry = req.method === 'PUT' ? await readJsonBody(req, deps.bodies) : undefined;
  const { before, after } = await deps.registry.updatePolicy(name, entry);
  const peer = req.socket.remoteAddress ?? '';
  deps.logger.info(
    { model: name, change: req.method === 'PUT' ? entry : 'removed', peer, caller },
    'serving policy changed through the admin endpoint',
  );
  // The change serves already; a trail that could not be written is said, not hidden.
  let audited = true;
  await deps.audit
    .record({
      changedAt: sqlDateTime(Date.now()),
      caller: caller ?? ANONYMOUS,
      peer,
      model: name,
      before,
      after,
    })
    .catch((err: unknown) => {
      audited = false;
      deps.logger.error(
        { err, model: name },
        'the serving policy change could not be written to the audit trail',
      );
    });
  send(res, 200, { ...state(deps.registry), audited });
}

/** The policy in force, and what serves for each loaded model under it. */
function state(registry: PolicyAdminDeps['registry']) {
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
