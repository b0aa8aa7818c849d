import { formatDateTime, formatDay } from '../../calendar.js';
import { Random } from '../../random.js';
import { type CustomerHistory, PRODUCT_CATEGORIES } from '../history.js';
import { type Campaign, DEMO_PRODUCTS } from './demo-catalog.js';

/**
 * The demo base's second layer of records: purchase lines, postpaid bills and payments, digital
 * engagement and campaign contacts. They come from a random stream of their own (seed, index, 2),
 * so adding them left every earlier record of the base unchanged. Planted behaviour:
 * - products: each customer has category tastes from their traits (data-heavy users buy data
 *   packs, travellers roaming, the young entertainment, big spenders devices and premium) and a
 *   personal taste per product, so past category shares predict the next purchases;
 * - payments: a latent financial strain; customers fall into trouble spells (a Markov state,
 *   more likely under strain and while drifting away) in which payments come late or never,
 *   so recent late payments predict a default;
 * - engagement: app use is an AR(1) process around a digital affinity (younger customers
 *   higher) and fades with the rest of the activity before churn;
 * - campaigns: 25% of the active base is picked each month, 10% of those held out as a random
 *   control group. How a contact changes a customer's response depends on a planted response
 *   type (responseTypeOf): persuadables respond mostly when contacted, sure things respond
 *   either way, do-not-disturbs respond less when contacted, lost causes hardly respond.
 */
export interface ActivityTraits {
  zData: number;
  zTicket: number;
  zRate: number;
  age: number;
  traveller: boolean;
  redeemer: boolean;
  prepaid: boolean;
  tierLevel: number;
}

export interface MonthContext {
  /** Day numbers: the month's first day, its last day of activity, the first day of service in it. */
  month: number;
  monthEnd: number;
  from: number;
  /** True when the month is a whole month of service (usage, bills and engagement are recorded). */
  whole: boolean;
  drifting: boolean;
  /** 1 normally, down to 0.15 before churning. */
  vigour: number;
  /** The month's purchases: day and amount. */
  purchases: { occurredAt: string; amountCents: number }[];
  /** The last day the data covers (records after it do not exist yet). */
  lastDay: number;
  /** First day without the customer (Infinity when they never churn). */
  churnDay: number;
}

const PLAN_FEE_CENTS = [2_500, 3_500, 5_000, 7_500];
const BILL_DUE_DAYS = 20;
const CAMPAIGN_PICK = 0.25;
const CONTROL_SHARE = 0.1;
const RESPONSE_DAYS = 14;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The four kinds of customers uplift modelling tells apart, by how a contact changes their response. */
export const RESPONSE_TYPES = ['persuadable', 'sure_thing', 'do_not_disturb', 'lost_cause'] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

/**
 * A customer's planted response type, from traits the features see: buying often and redeeming
 * points (sure things: organic response), a digital affinity (app sessions: persuadable),
 * older and offline (do-not-disturb: a contact annoys them). Deterministic, no draws.
 */
export function responseTypeOf(t: ActivityTraits, digital: number): ResponseType {
  if (t.redeemer && t.zRate > 0.4) return 'sure_thing';
  if (digital > 0.2) return 'persuadable';
  if (t.age >= 50 && digital < -0.4) return 'do_not_disturb';
  return 'lost_cause';
}

/**
 * Log-odds of responding to a campaign, untreated (organic) and the change a contact makes, by
 * response type; drifting customers respond less and are harder to move.
 */
function responseLogOdds(
  type: ResponseType,
  zRate: number,
  digital: number,
  push: boolean,
  drifting: boolean,
) {
  const drift = drifting ? 1 : 0;
  const organic = -3.2 + 0.4 * zRate - drift;
  switch (type) {
    case 'sure_thing':
      return { organic: organic + 3, effect: 0 };
    case 'persuadable':
      return { organic, effect: 2 + 0.5 * digital + (push ? 0.4 : 0) - drift };
    case 'do_not_disturb':
      return { organic: organic + 1.3, effect: -1.6 };
    case 'lost_cause':
      return { organic: organic - 0.3, effect: 0.2 };
  }
}
export class DemoActivity {
  private readonly rng: Random;
  private readonly productWeights: number[];
  private readonly digital: number;
  private readonly strain: number;
  /** The customer's planted response to campaigns (the truth uplift models are tested against). */
  readonly responseType: ResponseType;
  /** Each campaign pick's planted response probabilities, contacted and not (the true effect). */
  readonly campaignEffects: { campaignCode: string; treated: number; untreated: number }[] = [];
  private troubled = false;
  private engagementLevel: number;

  constructor(
    seed: number,
    index: number,
    private readonly t: ActivityTraits,
    private readonly campaigns: readonly Campaign[],
    private readonly history: CustomerHistory,
  ) {
    const rng = new Random(seed, index, 2);
    this.rng = rng;
    const ageTaste = t.age < 30 ? 1.2 : t.age < 45 ? 0.2 : -0.8;
    const category: Record<(typeof PRODUCT_CATEGORIES)[number], number> = {
      devices: Math.exp(0.6 * t.zTicket),
      accessories: 2,
      data: 2 * Math.exp(0.9 * t.zData),
      entertainment: 1.5 * Math.exp(ageTaste),
      travel: t.traveller ? 6 : 0.3,
      premium: 0.6 * Math.exp(0.8 * t.zTicket + 0.5 * t.tierLevel - 0.8),
    };
    for (const c of PRODUCT_CATEGORIES) category[c] *= rng.logNormal(0, 1);
    this.productWeights = DEMO_PRODUCTS.map(
      (p) => category[p.category] * p.popularity * rng.logNormal(0, 0.5),
    );
    this.digital = rng.normal(0, 0.8) + (t.age < 30 ? 0.8 : t.age < 45 ? 0.3 : -0.5);
    this.strain = rng.normal(0, 1) + (t.tierLevel === 0 ? 0.4 : 0);
    this.engagementLevel = this.digital;
    this.responseType = responseTypeOf(t, this.digital);
  }

  month(m: MonthContext): void {
    for (const p of m.purchases) this.lines(p);
    if (m.whole) {
      if (!this.t.prepaid) this.bill(m);
      this.engagement(m);
    }
    this.campaign(m);
  }

  /** A purchase splits into 1-3 product lines that add up to its amount. */
  private lines(purchase: { occurredAt: string; amountCents: number }): void {
    const rng = this.rng;
    const count = Math.min(3, 1 + rng.poisson(0.4));
    const picked = Array.from({ length: count }, () => rng.weighted(DEMO_PRODUCTS, this.productWeights));
    const total = picked.reduce((s, p) => s + p.priceCents, 0);
    let left = purchase.amountCents;
    picked.forEach((p, i) => {
      const amount =
        i === picked.length - 1 ? left : Math.round((purchase.amountCents * p.priceCents) / total);
      left -= amount;
      this.history.lines.push({
        occurredAt: purchase.occurredAt,
        productCode: p.code,
        category: p.category,
        quantity: 1,
        amountCents: amount,
      });
    });
  }

  private bill(m: MonthContext): void {
    const rng = this.rng;
    this.troubled = this.troubled
      ? !rng.chance(0.25)
      : rng.chance(sigmoid(-4 + 0.9 * this.strain + (m.drifting ? 0.8 : 0)));
    const due = m.monthEnd + BILL_DUE_DAYS;
    let daysLate: number | null;
    if (this.troubled) daysLate = rng.chance(0.35) ? null : rng.int(5, 60);
    else daysLate = rng.chance(sigmoid(-2.5 + 0.8 * this.strain)) ? rng.int(1, 20) : -rng.int(0, 15);
    const paidDay = daysLate === null ? undefined : due + daysLate;
    this.history.bills.push({
      issuedOn: formatDay(m.monthEnd),
      dueOn: formatDay(due),
      amountCents: PLAN_FEE_CENTS[this.t.tierLevel]! + rng.int(0, 1_500),
      // A payment after the last recorded day has not happened yet.
      paidAt:
        paidDay === undefined || paidDay > m.lastDay
          ? null
          : formatDateTime(paidDay, rng.int(8 * 3600, 22 * 3600)),
    });
  }

  private engagement(m: MonthContext): void {
    const rng = this.rng;
    this.engagementLevel = 0.75 * this.engagementLevel + 0.25 * this.digital + rng.normal(0, 0.3);
    const sessions = rng.poisson(Math.exp(1.8 + 0.9 * this.engagementLevel) * m.vigour);
    this.history.engagement.push({
      month: formatDay(m.month),
      appSessions: sessions,
      logins: rng.poisson(0.3 * sessions + 1),
      featureUses: rng.poisson(1.6 * sessions),
    });
  }

  private campaign(m: MonthContext): void {
    const rng = this.rng;
    for (const c of this.campaigns) {
      if (c.startDay < m.from || c.startDay > m.monthEnd) continue;
      if (!rng.chance(CAMPAIGN_PICK)) continue;
      const control = rng.chance(CONTROL_SHARE);
      const { organic, effect } = responseLogOdds(
        this.responseType,
        this.t.zRate,
        this.digital,
        c.channel === 'push',
        m.drifting,
      );
      const p = sigmoid(control ? organic : organic + effect);
      this.campaignEffects.push({
        campaignCode: c.code,
        treated: sigmoid(organic + effect),
        untreated: sigmoid(organic),
      });
      const day = c.startDay + rng.int(0, RESPONSE_DAYS - 1);
      const responded = rng.chance(p) && day <= m.lastDay && day < m.churnDay;
      this.history.campaigns.push({
        campaignCode: c.code,
        contactedAt: formatDateTime(c.startDay, 10 * 3600),
        controlGroup: control,
        respondedAt: responded ? formatDateTime(day, rng.int(9 * 3600, 21 * 3600)) : null,
      });
    }
  }
}
