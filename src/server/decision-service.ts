import type { Action } from '../decisioning/action-catalog.js';
import type { WeighedAction } from '../decisioning/action-scorer.js';
import { campaignOutcomes, type Lift } from '../decisioning/campaign-outcomes.js';
import type { Decider } from '../decisioning/decider.js';
import { type PlanRow, type PlanTotals, validatePlanNumbers } from '../decisioning/plan-campaign.js';
import type { PlanService } from '../decisioning/plan-service.js';
import { Errors } from '../errors.js';
import type { SqlBackend } from '../features/sql/sql-backend.js';
import type { Timestamp__Output } from '../generated/google/protobuf/Timestamp.js';
import type { CampaignLift } from '../generated/loyalty/v1/CampaignLift.js';
import type { DecisionServiceHandlers } from '../generated/loyalty/v1/DecisionService.js';
import type { Money } from '../generated/loyalty/v1/Money.js';
import type { PlanCampaignResponse } from '../generated/loyalty/v1/PlanCampaignResponse.js';
import { validateBaseQuery } from '../serving/base-query.js';
import type { Implementation } from './call-wrapper.js';
import { explanationToWire } from './prediction-wire.js';
import { moneyFromCents, segmentFromWire, segmentToWire, timestampOfDate } from './wire.js';

/** DecisionService: proto <-> the decisioning core (src/decisioning/). */

const money = (amount: number, currency: string): Money => moneyFromCents(Math.round(amount * 100), currency);

function timeOf(t: Timestamp__Output | null, field: string): number | undefined {
  if (!t) return undefined;
  const ms = Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
  if (!Number.isFinite(ms)) throw Errors.invalidArgument(`${field} is not a valid time`);
  return ms;
}

function amountOf(m: Money | null | undefined, currency: string, field: string): number {
  if (!m) throw Errors.invalidArgument(`${field} is unset: give an amount in ${currency}`);
  if (m.currencyCode !== currency)
    throw Errors.invalidArgument(
      `${field} is in ${m.currencyCode || 'no currency'}; the action catalogue is in ${currency}`,
    );
  const v = Number(m.units) + (m.nanos ?? 0) / 1e9;
  if (!Number.isFinite(v)) throw Errors.invalidArgument(`${field} is not a valid amount`);
  return v;
}

function weighedToWire(w: WeighedAction, currency: string) {
  const a: Action = w.action;
  return {
    action: a.code,
    name: a.name,
    channel: a.channel,
    probability: w.probability,
    value: money(w.value, currency),
    cost: money(a.cost, currency),
    expectedNetValue: money(w.expectedNet, currency),
    excludedBy: w.excludedBy,
  };
}

function totalsToWire(t: PlanTotals) {
  return {
    considered: String(t.considered),
    assigned: String(t.assigned),
    control: String(t.control),
    expectedResponses: t.expectedResponses,
    cost: money(t.cost, t.currency),
    expectedValue: money(t.expectedValue, t.currency),
    expectedNetValue: money(t.expectedNet, t.currency),
    actions: t.perAction.map((a) => ({
      action: a.action,
      treated: String(a.treated),
      control: String(a.control),
      cost: money(a.cost, t.currency),
      expectedNetValue: money(a.expectedNet, t.currency),
    })),
  };
}

function liftToWire(l: Lift): CampaignLift {
  const segment = segmentFromWire(l.segment);
  return {
    campaign: l.campaign,
    segment: segment ? segmentToWire(segment) : 'RFM_SEGMENT_UNSPECIFIED',
    treatedCustomers: String(l.treated.customers),
    treatedResponders: String(l.treated.responders),
    controlCustomers: String(l.control.customers),
    controlResponders: String(l.control.responders),
    treatedRate: l.treatedRate,
    controlRate: l.controlRate,
    lift: l.lift,
    liftLow: l.low,
    liftHigh: l.high,
  };
}

const PLAN_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function decisionService(
  decider: Decider,
  plans: PlanService,
  backend: SqlBackend,
): Implementation<DecisionServiceHandlers> {
  return {
    Decide: async (req, signal) => {
      const d = await decider.decide(
        req.customerId,
        { at: timeOf(req.at, 'at'), record: req.record, explain: req.explain },
        signal,
      );
      return {
        customerId: d.customerId,
        recommendedAction: d.recommended ?? '',
        actions: d.actions.map((w) => weighedToWire(w, d.currency)),
        models: [...d.versions].map(([name, version]) => ({ name, version })),
        featuresAsOf: timestampOfDate(d.featuresAsOf),
        recorded: d.recorded,
        explanation: explanationToWire(d.explanation),
      };
    },
    PlanCampaign: async (call, signal) => {
      const req = call.request;
      const catalog = plans.catalog();
      if (!PLAN_ID.test(req.planId))
        throw Errors.invalidArgument('plan_id is 1-64 of A-Z, a-z, 0-9, ., _ and -');
      const query = validateBaseQuery({
        chunkSize: 0,
        topK: 0,
        segments: req.segments.map((s) => segmentFromWire(s) ?? ''),
        tiers: req.tiers,
      });
      const capacities = new Map(Object.entries(req.capacities));
      const request = {
        filter: query.filter,
        budget: amountOf(req.budget, catalog.currency, 'budget'),
        capacities,
        controlShare: Number(req.controlShare),
        planId: req.planId,
        at: timeOf(req.at, 'at') ?? Date.now(),
        record: req.record,
      };
      validatePlanNumbers(request);
      // One message in flight: the next chunk is built while it is sent, then waits for it.
      const write = (message: PlanCampaignResponse) =>
        new Promise<void>((resolve) => call.write(message, () => resolve()));
      const toWire = (r: PlanRow) => ({
        customerId: r.customerId,
        action: r.action,
        probability: r.probability,
        expectedNetValue: money(r.expectedNet, catalog.currency),
        cost: money(r.cost, catalog.currency),
        control: r.control,
      });
      const totals = await plans.plan(
        catalog,
        request,
        (rows) => write({ contacts: rows.map(toWire) }),
        signal,
      );
      await write({ contacts: [], totals: totalsToWire(totals) });
    },
    GetCampaignOutcomes: async (req) => {
      const overall = await campaignOutcomes(backend, req.campaigns, false);
      const segments = req.bySegment ? await campaignOutcomes(backend, req.campaigns, true) : [];
      return { lifts: [...overall, ...segments].map(liftToWire) };
    },
  };
}
