import { dayNumber, nextMonthStart } from '../../calendar.js';
import { FEATURE_NAMES, type FeatureName, type RfmValues, TIERS } from '../../features/feature-set.js';
import type { CustomerHistory } from '../history.js';

export interface ComputedFeatures {
  customerId: string;
  tier: string;
  features: Float64Array;
  rfm: RfmValues;
}

const INDEX = Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, i])) as Record<FeatureName, number>;

/**
 * The feature vector of one customer as of the end of day `asOf` (YYYY-MM-DD), point in time:
 * only records on or before that day count, an offer accepted later counts as not accepted,
 * and a month's usage counts once the month is over. Returns undefined for a customer who
 * signed up after `asOf`. Money features are in currency units, RFM monetary in cents.
 */
export function computeFeatures(history: CustomerHistory, asOf: string): ComputedFeatures | undefined {
  const asOfDay = dayNumber(asOf);
  const signupDay = dayNumber(history.customer.signupDate);
  if (signupDay > asOfDay) return undefined;
  const inWindow = (day: number, days: number) => day > asOfDay - days && day <= asOfDay;

  let lastPurchase = Number.NEGATIVE_INFINITY;
  let frequency = 0;
  let monetaryCents = 0;
  let count90 = 0;
  let count365 = 0;
  let spend90 = 0;
  let spend365 = 0;
  for (const t of history.transactions) {
    const day = dayNumber(t.occurredAt);
    if (day > asOfDay) continue;
    frequency++;
    monetaryCents += t.amountCents;
    lastPurchase = Math.max(lastPurchase, day);
    if (inWindow(day, 365)) {
      count365++;
      spend365 += t.amountCents;
      if (inWindow(day, 90)) {
        count90++;
        spend90 += t.amountCents;
      }
    }
  }

  let pointsBalance = 0;
  let redemptions = 0;
  for (const p of history.points) {
    const day = dayNumber(p.occurredAt);
    if (day > asOfDay) continue;
    pointsBalance += p.points;
    if (p.kind === 'redeem' && inWindow(day, 365)) redemptions++;
  }

  // The last three whole months before asOf (a month counts once it is over).
  let dataMb = 0;
  let voice = 0;
  for (const u of history.usage) {
    const month = dayNumber(u.month);
    const end = nextMonthStart(month) - 1;
    if (end > asOfDay || end <= asOfDay - 92) continue;
    dataMb += u.dataMb;
    voice += u.voiceMinutes;
  }

  let contacts90 = 0;
  for (const s of history.support) if (inWindow(dayNumber(s.occurredAt), 90)) contacts90++;

  let offered = 0;
  let accepted = 0;
  for (const o of history.offers) {
    if (!inWindow(dayNumber(o.offeredAt), 365)) continue;
    offered++;
    if (o.acceptedAt !== null && dayNumber(o.acceptedAt) <= asOfDay) accepted++;
  }

  const tenure = asOfDay - signupDay;
  const recency = Number.isFinite(lastPurchase) ? asOfDay - lastPurchase : tenure;
  const f = new Float64Array(FEATURE_NAMES.length);
  f[INDEX.tenure_days] = tenure;
  f[INDEX.recency_days] = recency;
  f[INDEX.txn_count_90d] = count90;
  f[INDEX.txn_count_365d] = count365;
  f[INDEX.spend_90d] = spend90 / 100;
  f[INDEX.spend_365d] = spend365 / 100;
  f[INDEX.avg_ticket_365d] = count365 > 0 ? spend365 / count365 / 100 : 0;
  // Annualised recent spend over last year's spend: 1 is steady, below 1 is fading.
  f[INDEX.spend_trend] = spend365 > 0 ? Math.min(10, (spend90 * (365 / 90)) / spend365) : 0;
  f[INDEX.points_balance] = pointsBalance;
  f[INDEX.redemptions_365d] = redemptions;
  f[INDEX.data_gb_avg_3m] = dataMb / 1024 / 3;
  f[INDEX.voice_min_avg_3m] = voice / 3;
  f[INDEX.support_contacts_90d] = contacts90;
  f[INDEX.offer_accept_rate_365d] = offered > 0 ? accepted / offered : 0;
  f[INDEX.tier_level] = Math.max(0, (TIERS as readonly string[]).indexOf(history.customer.tier));
  // Unknown birth years give 0: the network learns it as its own value.
  const birthYear = history.customer.birthYear;
  f[INDEX.age_years] = birthYear === null ? 0 : Number(asOf.slice(0, 4)) - birthYear;

  return {
    customerId: history.customer.customerId,
    tier: history.customer.tier,
    features: f,
    rfm: { recencyDays: recency, frequency, monetaryCents },
  };
}
