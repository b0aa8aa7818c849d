import { Errors } from '../errors.js';
import type { CustomerFilter } from '../features/online-store.js';
import { Random, seedOfKey } from '../random.js';
import type { BaseSource } from '../serving/base-stream.js';
import { throwIfAborted } from '../serving/signals.js';
import type { ActionCatalog } from './action-catalog.js';
import type { ActionScorer } from './action-scorer.js';
import { planAssignment } from './campaign-planner.js';
import type { ContactHistory } from './contact-history.js';

/** What a campaign plan is asked for. */
export interface PlanRequest {
  filter: CustomerFilter;
  /** The most the treated customers' contacts may cost, in the catalogue's currency. */
  budget: number;
  /** Per action code, the most customers it may be given; actions not named have no limit. */
  capacities: ReadonlyMap<string, number>;
  /** Share of the assigned customers kept as a random control group (not contacted), 0 to 0.5. */
  controlShare: number;
  /** Names the plan; the control group is drawn from it (same id, same group). */
  planId: string;
  /** The time the contact policy counts back from (epoch ms). */
  at: number;
  /** Record the treated customers' actions as contacts (the plan is carried out). */
  record: boolean;
}

export interface PlanRow {
  customerId: string;
  action: string;
  /** The model's probability for the pair (incremental for an uplift model). */
  probability: number;
  expectedNet: number;
  cost: number;
  control: boolean;
}

export interface PlanTotals {
  /** Customers of the filter read from the store. */
  considered: number;
  /** Given an action, treated or control. */
  assigned: number;
  control: number;
  /** Over the treated customers: sum of probabilities (incremental responses for uplift models). */
  expectedResponses: number;
  cost: number;
  /** Sum of probability x value over the treated customers. */
  expectedValue: number;
  expectedNet: number;
  currency: string;
  /** Per action code: treated and control customers. */
  perAction: { action: string; treated: number; control: number; cost: number; expectedNet: number }[];
}

/** The most customers one plan may consider: its pairs are held in memory (16 bytes each). */
export const MAX_PLAN_CUSTOMERS = 2_000_000;
const PLAN_CHUNK = 500;

/** Whether a customer of a plan falls in its control group: a draw seeded by the plan and the customer. */
export function inControl(planId: string, customerId: string, share: number): boolean {
  return share > 0 && new Random(seedOfKey(`${planId}\u0000${customerId}`), 0x91a4).uniform() < share;
}

/**
 * A campaign over the base (or a segment/tier filter of it): every customer's actions weighed in
 * chunks (eligibility, contact policy, models), one assignment for the whole base within budget
 * and capacities (campaign-planner.ts), a random control group drawn among the assigned, the plan
 * handed to `sink` in chunks in customer id order, and its totals returned.
 */
export async function planCampaign(
  deps: { store: BaseSource; scorer: ActionScorer; contacts: ContactHistory; catalog: ActionCatalog },
  request: PlanRequest,
  sink: (rows: PlanRow[]) => Promise<void>,
  signal: AbortSignal,
  /** Called with the customers weighed so far, after each chunk of the base. */
  onProgress: (considered: number) => void = () => {},
): Promise<PlanTotals> {
  const { catalog } = deps;
  const actions = catalog.actions;
  const m = actions.length;
  for (const code of request.capacities.keys())
    if (!actions.some((a) => a.code === code))
      throw Errors.invalidArgument(`capacities names no action ${code}`);
  const ids: string[] = [];
  let net = new Float32Array(1024 * m);
  let prob = new Float32Array(1024 * m);
  let gross = new Float32Array(1024 * m);
  let after = '';
  for (;;) {
    throwIfAborted(signal);
    const rows = await deps.store.scan(after, PLAN_CHUNK, request.filter);
    if (rows.length === 0) break;
    if (ids.length + rows.length > MAX_PLAN_CUSTOMERS)
      throw Errors.failedPrecondition(
        `the plan would consider more than ${MAX_PLAN_CUSTOMERS} customers: narrow it by segments or tiers`,
      );
    const weighed = await deps.scorer.weigh(catalog, rows, request.at, false, signal);
    if ((ids.length + rows.length) * m > net.length) {
      const grow = (a: Float32Array) => {
        const b = new Float32Array(Math.max(a.length * 2, (ids.length + rows.length) * m));
        b.set(a);
        return b;
      };
      net = grow(net);
      prob = grow(prob);
      gross = grow(gross);
    }
    for (const w of weighed) {
      const base = ids.length * m;
      w.actions.forEach((a, j) => {
        net[base + j] = a.excludedBy.length > 0 ? Number.NEGATIVE_INFINITY : a.expectedNet;
        prob[base + j] = a.probability;
        gross[base + j] = a.probability * a.value;
      });
      ids.push(w.row.customerId);
    }
    after = rows[rows.length - 1]!.customerId;
    onProgress(ids.length);
    if (rows.length < PLAN_CHUNK) break;
  }
  const n = ids.length;
  const cost = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) cost[i * m + j] = actions[j]!.cost;
  const assignment = planAssignment({
    customers: n,
    actions: m,
    net: net.subarray(0, n * m),
    cost,
    budget: request.budget,
    capacities: actions.map((a) => request.capacities.get(a.code) ?? Number.POSITIVE_INFINITY),
  });

  const totals: PlanTotals = {
    considered: n,
    assigned: 0,
    control: 0,
    expectedResponses: 0,
    cost: 0,
    expectedValue: 0,
    expectedNet: 0,
    currency: catalog.currency,
    perAction: actions.map((a) => ({ action: a.code, treated: 0, control: 0, cost: 0, expectedNet: 0 })),
  };
  let chunk: PlanRow[] = [];
  let records: { customerId: string; at: number; action: string; channel: string; source: string }[] = [];
  for (let i = 0; i < n; i++) {
    const j = assignment.choice[i]!;
    if (j < 0) continue;
    const k = i * m + j;
    const action = actions[j]!;
    const control = inControl(request.planId, ids[i]!, request.controlShare);
    const per = totals.perAction[j]!;
    totals.assigned++;
    if (control) {
      totals.control++;
      per.control++;
    } else {
      per.treated++;
      per.cost += action.cost;
      per.expectedNet += net[k]!;
      totals.expectedResponses += prob[k]!;
      totals.cost += action.cost;
      totals.expectedValue += gross[k]!;
      totals.expectedNet += net[k]!;
      if (request.record)
        records.push({
          customerId: ids[i]!,
          at: request.at,
          action: action.code,
          channel: action.channel,
          source: `plan:${request.planId}`,
        });
    }
    chunk.push({
      customerId: ids[i]!,
      action: action.code,
      probability: prob[k]!,
      expectedNet: net[k]!,
      cost: action.cost,
      control,
    });
    if (chunk.length >= PLAN_CHUNK) {
      throwIfAborted(signal);
      await deps.contacts.record(records);
      await sink(chunk);
      chunk = [];
      records = [];
    }
  }
  await deps.contacts.record(records);
  if (chunk.length > 0) await sink(chunk);
  return totals;
}

/** INVALID_ARGUMENT unless the request's numbers are sane. */
export function validatePlanNumbers(r: {
  budget: number;
  controlShare: number;
  capacities: ReadonlyMap<string, number>;
}): void {
  if (!Number.isFinite(r.budget) || r.budget < 0)
    throw Errors.invalidArgument('budget must be a finite amount, 0 or more');
  if (!(r.controlShare >= 0 && r.controlShare <= 0.5))
    throw Errors.invalidArgument('control_share must be from 0 to 0.5');
  for (const [code, c] of r.capacities)
    if (!Number.isInteger(c) || c < 0)
      throw Errors.invalidArgument(`capacity of ${code} must be a whole number, 0 or more`);
}
