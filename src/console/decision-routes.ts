import type { ServerResponse } from 'node:http';
import { campaignOutcomes, MAX_OUTCOME_CAMPAIGNS } from '../decisioning/campaign-outcomes.js';
import { type PlanRow, validatePlanNumbers } from '../decisioning/plan-campaign.js';
import type { PlanService } from '../decisioning/plan-service.js';
import { Errors } from '../errors.js';
import { type SqlBackend, tableExists } from '../features/sql/sql-backend.js';
import { send } from '../http/responses.js';
import type { HttpRoute } from '../http/route-table.js';
import { validateBaseQuery } from '../serving/base-query.js';
import { callSignal } from './call-signal.js';
import { consoleGet, queryList } from './console-api.js';

/** A plan reads the whole base through four models: minutes on a large one. */
const PLAN_TIMEOUT_MS = 10 * 60_000;
/** Campaigns the console lists for outcomes, newest first. */
const RECENT_CAMPAIGNS = 36;

export interface DecisionConsoleDeps {
  plans: PlanService;
  backend: SqlBackend;
}

/**
 * The console's decisions, over the same core as DecisionService (so the same plans):
 *
 *   GET /console/api/actions                     the action catalogue and contact policy
 *   GET /console/api/plan?segments=&tiers=&budget=&control=&cap.<action>=&plan=&at=   NDJSON: plan rows, then totals
 *   GET /console/api/campaigns                   the store's recent campaigns
 *   GET /console/api/outcomes?campaigns=&segments=1   measured lift per campaign (and segment)
 *
 * Reads only: a plan made here is not recorded as contacts (PlanCampaign with record does that).
 */
export function decisionRoutes(deps: DecisionConsoleDeps): HttpRoute[] {
  return [
    consoleGet('actions', ({ res }) => {
      const c = deps.plans.catalog();
      send(res, 200, { currency: c.currency, contactPolicy: c.contactPolicy, actions: c.actions });
    }),
    consoleGet('plan', ({ res, query }) => plan(deps.plans, query, res)),
    consoleGet('campaigns', async ({ res }) =>
      send(res, 200, { campaigns: await recentCampaigns(deps.backend) }),
    ),
    consoleGet('outcomes', async ({ res, query }) => {
      const campaigns = (query.get('campaigns') ?? '')
        .split(',')
        .filter(Boolean)
        .slice(0, MAX_OUTCOME_CAMPAIGNS + 1);
      const overall = await campaignOutcomes(deps.backend, campaigns, false);
      const segments =
        query.get('segments') === '1' ? await campaignOutcomes(deps.backend, campaigns, true) : [];
      send(res, 200, { lifts: [...overall, ...segments] });
    }),
  ];
}

async function recentCampaigns(backend: SqlBackend) {
  if (!(await tableExists(backend, 'campaigns'))) return [];
  const rows = await backend.selectArrays(
    `SELECT campaign_code, name, channel, started_on FROM campaigns ORDER BY started_on DESC LIMIT ${RECENT_CAMPAIGNS}`,
  );
  return rows.map(([code, name, channel, startedOn]) => ({
    code: String(code),
    name: String(name),
    channel: String(channel),
    startedOn: String(startedOn).slice(0, 10),
  }));
}

async function plan(plans: PlanService, params: URLSearchParams, res: ServerResponse): Promise<void> {
  const catalog = plans.catalog();
  const list = (key: string) => queryList(params, key);
  const number = (key: string, fallback?: number) => {
    const raw = params.get(key);
    if (raw === null || raw === '') {
      if (fallback === undefined) throw Errors.invalidArgument(`${key} is required`);
      return fallback;
    }
    const v = Number(raw);
    if (!Number.isFinite(v)) throw Errors.invalidArgument(`${key} must be a number`);
    return v;
  };
  const capacities = new Map<string, number>();
  for (const [key, value] of params)
    if (key.startsWith('cap.') && value !== '') capacities.set(key.slice(4), Number(value));
  const planId = params.get('plan') || `console-${new Date().toISOString().slice(0, 10)}`;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(planId))
    throw Errors.invalidArgument('plan is 1-64 of A-Z, a-z, 0-9, ., _ and -');
  const at = params.get('at') ? Date.parse(`${params.get('at')}T23:59:59Z`) : Date.now();
  if (!Number.isFinite(at)) throw Errors.invalidArgument('at is a day, YYYY-MM-DD');
  const query = validateBaseQuery({
    chunkSize: 0,
    topK: 0,
    segments: list('segments'),
    tiers: list('tiers'),
  });
  const request = {
    filter: query.filter,
    budget: number('budget'),
    capacities,
    controlShare: number('control', 0),
    planId,
    at,
    record: false,
  };
  validatePlanNumbers(request);
  const signal = callSignal(res, PLAN_TIMEOUT_MS);
  const line = (value: unknown) => `${JSON.stringify(value)}\n`;
  let started = false;
  const start = () => {
    if (started) return;
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    started = true;
  };
  const toRow = (r: PlanRow) => [
    r.customerId,
    r.action,
    r.probability,
    r.expectedNet,
    r.cost,
    r.control ? 1 : 0,
  ];
  try {
    const totals = await plans.plan(
      catalog,
      request,
      (rows) =>
        new Promise<void>((resolve) => {
          start();
          if (res.write(line({ rows: rows.map(toRow) }))) resolve();
          else res.once('drain', resolve);
        }),
      signal,
      (considered) => {
        start();
        res.write(line({ considered }));
      },
    );
    start();
    res.end(line({ done: true, planId, totals }));
  } catch (err) {
    // Before the first line: an error status the page can show; after it, the stream's last line.
    if (!started) throw err;
    res.end(line({ error: err instanceof Error ? err.message : 'internal error' }));
  }
}
