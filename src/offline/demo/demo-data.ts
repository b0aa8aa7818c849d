import { dayNumber, formatDateTime, formatDay, nextMonthStart } from '../../calendar.js';
import { TIERS } from '../../features/feature-set.js';
import { Random } from '../../random.js';
import { type CustomerHistory, emptyHistory, OFFER_TYPES, type OfferCode } from '../history.js';
import { DemoActivity, type ResponseType } from './demo-activity.js';
import { demoCampaigns } from './demo-catalog.js';

/**
 * A deterministic, seeded generator of a telecom/retail loyalty programme's customers, with
 * behaviour planted so that models trained on it learn something real:
 * - spend is heavy-tailed (gamma purchase rates, log-normal tickets);
 * - churners drift away first: in the DRIFT_DAYS before churning, purchases, usage and
 *   points fall, support contacts rise, and then all activity stops;
 * - churn hazard depends on plan, activity and tier;
 * - offer acceptance depends on behaviour (data-heavy users take data offers, travellers
 *   roaming packs, drifting customers discounts, big spenders upgrades).
 * Customer i depends only on (seed, i), so any range of customers can be made on its own.
 */
export const HISTORY_START = '2023-01-01';
export const HISTORY_END = '2025-12-31';
/** The currency of every amount in the demo data. */
export const DEMO_CURRENCY = 'EUR';

const DRIFT_DAYS = 120;
const START = dayNumber(HISTORY_START);
const END = dayNumber(HISTORY_END);
const SIGNUP_FROM = dayNumber('2018-01-01');

const REGIONS = ['north', 'south', 'east', 'west', 'central', 'capital', 'coast', 'islands'] as const;
const REGION_WEIGHTS = [12, 14, 10, 11, 13, 25, 10, 5];
const CHANNELS = ['store', 'online', 'app', 'call_center'] as const;
const SUPPORT_REASONS = ['billing', 'network', 'device', 'plan_change', 'complaint', 'other'] as const;
const TIER_POINTS_MULTIPLIER = [1, 1.25, 1.5, 2];

/** Log-space means and spreads of the latent traits, used again to standardise them. */
const TICKET = { mu: Math.log(3_000), sigma: 0.7 };
const DATA = { mu: Math.log(4_000), sigma: 0.9 };
const VOICE = { mu: Math.log(200), sigma: 0.8 };

/** The demo programme's campaigns, one a month over the history. */
export const DEMO_CAMPAIGNS = demoCampaigns(HISTORY_START, HISTORY_END);

export function customerId(index: number): string {
  return `C${String(index + 1).padStart(7, '0')}`;
}

/** Whether an id is one the demo generator writes (customerId above). */
export const isDemoCustomerId = (id: string): boolean => /^C\d{7}$/.test(id);

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function generateCustomer(seed: number, index: number): CustomerHistory {
  return generateCustomerWithTruth(seed, index).history;
}

/** A demo customer with the planted truth its records do not show: how campaigns move them. */
export function generateCustomerWithTruth(
  seed: number,
  index: number,
): {
  history: CustomerHistory;
  responseType: ResponseType;
  campaignEffects: DemoActivity['campaignEffects'];
} {
  const rng = new Random(seed, index);

  // Latent traits.
  const rate = rng.gamma(1.2, 0.6) + 0.05; // purchases per month
  const ticket = rng.logNormal(TICKET.mu, TICKET.sigma); // cents
  const dataMb = rng.logNormal(DATA.mu, DATA.sigma);
  const voiceMin = rng.logNormal(VOICE.mu, VOICE.sigma);
  const traveller = rng.chance(0.15);
  const redeemer = rng.chance(0.4);
  const prepaid = rng.chance(0.4);
  const birthYear = rng.int(1950, 2006);
  const channelWeights = [rng.uniform() * 3, rng.uniform() * 2, rng.uniform() * 3, rng.uniform() * 0.5];
  const monthlyValue = rate * ticket * rng.logNormal(0, 0.3);
  const tierLevel = monthlyValue < 1_500 ? 0 : monthlyValue < 4_000 ? 1 : monthlyValue < 9_000 ? 2 : 3;

  // Sign-up: two thirds before the history starts, the rest during it.
  const signup = rng.chance(0.67) ? rng.int(SIGNUP_FROM, START - 1) : rng.int(START, END - 30);

  // Churn: a monthly hazard from behaviour, drawn month by month from the first month we
  // observe; churn after END is simply not seen yet.
  let hazard = 0.011;
  if (prepaid) hazard *= 1.8;
  if (rate < 0.35) hazard *= 1.7;
  hazard *= [1.2, 1, 0.7, 0.45][tierLevel]!;
  const firstDay = Math.max(signup, START);
  let churnDay = Number.POSITIVE_INFINITY;
  for (let day = firstDay + 30; day <= END + 365; day += 30) {
    if (rng.chance(hazard)) {
      churnDay = day + rng.int(0, 29);
      break;
    }
  }

  const history = emptyHistory({
    customerId: customerId(index),
    signupDate: formatDay(signup),
    tier: TIERS[tierLevel]!,
    region: rng.weighted(REGIONS, REGION_WEIGHTS),
    plan: prepaid ? 'prepaid' : 'postpaid',
    birthYear,
  });

  const zData = (Math.log(dataMb) - DATA.mu) / DATA.sigma;
  const zVoice = (Math.log(voiceMin) - VOICE.mu) / VOICE.sigma;
  const zTicket = (Math.log(ticket) - TICKET.mu) / TICKET.sigma;
  let balance = 0;
  const activity = new DemoActivity(
    seed,
    index,
    {
      zData,
      zTicket,
      zRate: Math.log(rate / 0.7),
      age: 2025 - birthYear,
      traveller,
      redeemer,
      prepaid,
      tierLevel,
    },
    DEMO_CAMPAIGNS,
    history,
  );

  for (let month = firstDay; month <= END && month < churnDay; month = nextMonthStart(month)) {
    const monthEnd = Math.min(nextMonthStart(month) - 1, END, churnDay - 1);
    const from = Math.max(month, signup);
    const drifting = churnDay - monthEnd <= DRIFT_DAYS;
    // Activity fades linearly to 15% over the drift window.
    const vigour = drifting ? Math.max(0.15, (churnDay - monthEnd) / DRIFT_DAYS) : 1;
    const season = new Date(month * 86_400_000).getUTCMonth() === 11 ? 1.3 : 1;
    const daysActive = monthEnd - from + 1;
    const share = daysActive / 30;

    let spend = 0;
    const purchases = rng.poisson(rate * vigour * season * share);
    const days: number[] = [];
    for (let k = 0; k < purchases; k++) days.push(rng.int(from, monthEnd));
    days.sort((a, b) => a - b);
    const firstOfMonth = history.transactions.length;
    for (const day of days) {
      const amount = Math.max(100, Math.round(ticket * rng.logNormal(0, 0.35)));
      spend += amount;
      history.transactions.push({
        occurredAt: formatDateTime(day, rng.int(8 * 3600, 21 * 3600)),
        amountCents: amount,
        channel: rng.weighted(CHANNELS, channelWeights),
      });
    }
    const whole = monthEnd === nextMonthStart(month) - 1 && from === month;
    activity.month({
      month,
      monthEnd,
      from,
      whole,
      drifting,
      vigour,
      purchases: history.transactions.slice(firstOfMonth),
      lastDay: END,
      churnDay,
    });

    if (spend > 0) {
      const earned = Math.floor((spend / 100) * TIER_POINTS_MULTIPLIER[tierLevel]!);
      balance += earned;
      history.points.push({ occurredAt: formatDateTime(monthEnd, 23 * 3600), points: earned, kind: 'earn' });
    }
    if (redeemer && balance >= 500 && rng.chance(drifting ? 0.1 : 0.35)) {
      const redeemed = 500 * Math.floor(balance / 500);
      balance -= redeemed;
      history.points.push({
        occurredAt: formatDateTime(rng.int(from, monthEnd), 12 * 3600),
        points: -redeemed,
        kind: 'redeem',
      });
    }

    // A month's usage is recorded only for whole months of service.
    if (whole) {
      history.usage.push({
        month: formatDay(month),
        dataMb: Math.round(dataMb * vigour * rng.logNormal(0, 0.25)),
        voiceMinutes: Math.round(voiceMin * vigour * rng.logNormal(0, 0.25)),
        smsCount: rng.poisson(20 * vigour),
      });
    }

    const contacts = rng.poisson((drifting ? 0.35 : 0.08) * share);
    for (let k = 0; k < contacts; k++) {
      history.support.push({
        occurredAt: formatDateTime(rng.int(from, monthEnd), rng.int(8 * 3600, 20 * 3600)),
        reason: drifting && rng.chance(0.5) ? 'complaint' : rng.weighted(SUPPORT_REASONS, [3, 3, 2, 2, 1, 1]),
      });
    }

    const offers = rng.poisson(0.35 * share);
    for (let k = 0; k < offers; k++) {
      const offer = OFFER_TYPES[rng.int(0, OFFER_TYPES.length - 1)]!.code;
      const offeredDay = rng.int(from, monthEnd);
      const tenureYears = (offeredDay - signup) / 365;
      const affinity = offerAffinity(offer, {
        zData,
        zVoice,
        zTicket,
        redeemer,
        drifting,
        prepaid,
        tierLevel,
        tenureYears,
        age: 2025 - birthYear,
        traveller,
      });
      const acceptedDay = offeredDay + rng.int(0, 6);
      const accepted = rng.chance(sigmoid(-2.4 + affinity)) && acceptedDay <= END && acceptedDay < churnDay;
      history.offers.push({
        offerCode: offer,
        offeredAt: formatDateTime(offeredDay, rng.int(9 * 3600, 18 * 3600)),
        acceptedAt: accepted ? formatDateTime(acceptedDay, rng.int(9 * 3600, 22 * 3600)) : null,
      });
    }
  }
  history.offers.sort((a, b) => (a.offeredAt < b.offeredAt ? -1 : 1));
  history.support.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1));
  history.points.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1));
  return { history, responseType: activity.responseType, campaignEffects: activity.campaignEffects };
}

interface Traits {
  zData: number;
  zVoice: number;
  zTicket: number;
  redeemer: boolean;
  drifting: boolean;
  prepaid: boolean;
  tierLevel: number;
  tenureYears: number;
  age: number;
  traveller: boolean;
}

function offerAffinity(offer: OfferCode, t: Traits): number {
  switch (offer) {
    case 'DATA_BOOST':
      return 1.5 * t.zData;
    case 'VOICE_BUNDLE':
      return 1.5 * t.zVoice;
    case 'DOUBLE_POINTS':
      return t.redeemer ? 1.8 : -0.5;
    case 'LOYALTY_DISCOUNT':
      return (t.drifting ? 2.2 : 0) + (t.prepaid ? 0.6 : -0.3);
    case 'PREMIUM_UPGRADE':
      return 1.2 * t.zTicket + (t.tierLevel >= 2 ? 0.8 : -0.4);
    case 'DEVICE_UPGRADE':
      return Math.min(2.5, 0.6 * t.tenureYears) - 0.8;
    case 'STREAMING_ADDON':
      return t.age < 30 ? 1.8 : t.age < 45 ? 0.3 : -0.8;
    case 'ROAMING_PACK':
      return t.traveller ? 2.6 : -1.2;
  }
}

/** Customers [from, to) of the demo base. */
export function* generateCustomers(seed: number, from: number, to: number): Generator<CustomerHistory> {
  for (let i = from; i < to; i++) yield generateCustomer(seed, i);
}
