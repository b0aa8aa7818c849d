import { dayNumber, nextMonthStart } from '../../calendar.js';
import {
  FEATURE_NAMES,
  type FeatureName,
  RECENT_ITEMS_DAYS,
  type RfmValues,
  TIERS,
} from '../../features/feature-set.js';
import { type CustomerHistory, PRODUCT_CATEGORIES } from '../history.js';

export interface ComputedFeatures {
  customerId: string;
  tier: string;
  features: Float64Array;
  rfm: RfmValues;
  /** Product codes bought in the RECENT_ITEMS_DAYS up to asOf, sorted. */
  recentItems: string[];
}

/** A bill 30 or more days past its due date, unpaid or paid that late, counts as missed. */
export const MISSED_AFTER_DAYS = 30;

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

  // Bills due in the last 365 days, as they stood at asOf: a payment after asOf is not known.
  let late = 0;
  let missed = 0;
  let overdueCents = 0;
  let billed3m = 0;
  let bills3m = 0;
  for (const b of history.bills) {
    const issued = dayNumber(b.issuedOn);
    if (issued > asOfDay) continue;
    if (issued > asOfDay - 92) {
      billed3m += b.amountCents;
      bills3m++;
    }
    const due = dayNumber(b.dueOn);
    const paid = b.paidAt === null ? undefined : dayNumber(b.paidAt);
    const settled = paid !== undefined && paid <= asOfDay ? paid : undefined;
    if (settled === undefined && due < asOfDay) overdueCents += b.amountCents;
    if (!inWindow(due, 365)) continue;
    const daysLate = (settled ?? asOfDay) - due;
    if (daysLate >= MISSED_AFTER_DAYS) missed++;
    else if (daysLate > 0) late++;
  }

  const categorySpend = new Float64Array(PRODUCT_CATEGORIES.length);
  let lineSpend = 0;
  const recent = new Set<string>();
  for (const l of history.lines) {
    const day = dayNumber(l.occurredAt);
    if (!inWindow(day, 365)) continue;
    lineSpend += l.amountCents;
    const c = (PRODUCT_CATEGORIES as readonly string[]).indexOf(l.category);
    if (c >= 0) categorySpend[c]! += l.amountCents;
    if (inWindow(day, RECENT_ITEMS_DAYS)) recent.add(l.productCode);
  }

  // Engagement of whole months, as usage: the last three and the last twelve.
  let sessions3 = 0;
  let logins3 = 0;
  let uses3 = 0;
  let sessions12 = 0;
  for (const e of history.engagement) {
    const end = nextMonthStart(dayNumber(e.month)) - 1;
    if (end > asOfDay || end <= asOfDay - 366) continue;
    sessions12 += e.appSessions;
    if (end <= asOfDay - 92) continue;
    sessions3 += e.appSessions;
    logins3 += e.logins;
    uses3 += e.featureUses;
  }

  let contacted = 0;
  let responded = 0;
  for (const c of history.campaigns) {
    if (c.controlGroup || !inWindow(dayNumber(c.contactedAt), 365)) continue;
    contacted++;
    if (c.respondedAt !== null && dayNumber(c.respondedAt) <= asOfDay) responded++;
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
  f[INDEX.bills_late_365d] = late;
  f[INDEX.bills_missed_365d] = missed;
  f[INDEX.overdue_amount] = overdueCents / 100;
  f[INDEX.bill_avg_3m] = bills3m > 0 ? billed3m / bills3m / 100 : 0;
  PRODUCT_CATEGORIES.forEach((c, i) => {
    f[INDEX[`share_${c}_365d`]] = lineSpend > 0 ? categorySpend[i]! / lineSpend : 0;
  });
  f[INDEX.app_sessions_avg_3m] = sessions3 / 3;
  f[INDEX.logins_avg_3m] = logins3 / 3;
  f[INDEX.feature_uses_avg_3m] = uses3 / 3;
  // Last three months' pace over the year's: 1 is steady, below 1 is fading.
  f[INDEX.app_sessions_trend] = sessions12 > 0 ? Math.min(10, (sessions3 * 4) / sessions12) : 0;
  f[INDEX.campaign_contacts_365d] = contacted;
  f[INDEX.campaign_response_rate_365d] = contacted > 0 ? responded / contacted : 0;

  return {
    customerId: history.customer.customerId,
    tier: history.customer.tier,
    features: f,
    rfm: { recencyDays: recency, frequency, monetaryCents },
    recentItems: [...recent].sort(),
  };
}
