/** One customer's raw records as the loyalty data model holds them (see features/sql/schema.ts). */
export interface CustomerRecord {
  customerId: string;
  /** YYYY-MM-DD. */
  signupDate: string;
  tier: string;
  region: string;
  plan: string;
  birthYear: number | null;
}

export interface TransactionRecord {
  /** YYYY-MM-DD HH:MM:SS, UTC. */
  occurredAt: string;
  amountCents: number;
  channel: string;
}

export interface UsageRecord {
  /** First day of the month, YYYY-MM-DD. The month's usage is known once the month is over. */
  month: string;
  dataMb: number;
  voiceMinutes: number;
  smsCount: number;
}

export interface PointsRecord {
  occurredAt: string;
  /** Positive when earned, negative when redeemed. */
  points: number;
  kind: 'earn' | 'redeem';
}

export interface OfferRecord {
  offerCode: string;
  offeredAt: string;
  /** When the customer accepted, or null. */
  acceptedAt: string | null;
}

export interface SupportRecord {
  occurredAt: string;
  reason: string;
}

/** One product line of a purchase; a purchase's lines add up to its amount. */
export interface LineRecord {
  occurredAt: string;
  productCode: string;
  /** The product's category in the catalogue ('' when the catalogue does not know it). */
  category: string;
  quantity: number;
  amountCents: number;
}

/** A postpaid bill: issued at a month's end, due 20 days later; paidAt null while unpaid. */
export interface BillRecord {
  /** YYYY-MM-DD. */
  issuedOn: string;
  /** YYYY-MM-DD. */
  dueOn: string;
  amountCents: number;
  /** YYYY-MM-DD HH:MM:SS, or null when never paid. */
  paidAt: string | null;
}

/** Digital engagement of one whole month (app and web), known once the month is over. */
export interface EngagementRecord {
  /** First day of the month, YYYY-MM-DD. */
  month: string;
  appSessions: number;
  logins: number;
  featureUses: number;
}

/**
 * One customer picked for a campaign: contacted, or held out in the random control group (picked
 * but not contacted, to measure what the campaign adds). A response is a purchase in the
 * campaign's response window, recorded for both groups.
 */
export interface CampaignContactRecord {
  campaignCode: string;
  contactedAt: string;
  controlGroup: boolean;
  respondedAt: string | null;
}

export interface CustomerHistory {
  customer: CustomerRecord;
  transactions: TransactionRecord[];
  usage: UsageRecord[];
  points: PointsRecord[];
  offers: OfferRecord[];
  support: SupportRecord[];
  lines: LineRecord[];
  bills: BillRecord[];
  engagement: EngagementRecord[];
  campaigns: CampaignContactRecord[];
}

/** The eight offer types of the programme, in the order of the NBO model's outputs. */
export const OFFER_TYPES = [
  { code: 'DATA_BOOST', name: 'Data Boost 10 GB', description: '10 GB of extra mobile data for 30 days' },
  {
    code: 'VOICE_BUNDLE',
    name: 'Unlimited Voice Bundle',
    description: 'Unlimited national calls for 30 days',
  },
  { code: 'DOUBLE_POINTS', name: 'Double Points Month', description: 'Twice the loyalty points for a month' },
  { code: 'LOYALTY_DISCOUNT', name: '15% Loyalty Discount', description: '15% off the next three bills' },
  { code: 'PREMIUM_UPGRADE', name: 'Premium Plan Upgrade', description: 'Upgrade to the premium plan' },
  { code: 'DEVICE_UPGRADE', name: 'Device Upgrade', description: 'A new handset at a member price' },
  { code: 'STREAMING_ADDON', name: 'Streaming Add-on', description: 'A video streaming subscription' },
  { code: 'ROAMING_PACK', name: 'Roaming Pack', description: 'Data and calls abroad for 14 days' },
] as const;

export type OfferCode = (typeof OFFER_TYPES)[number]['code'];

export function emptyHistory(customer: CustomerRecord): CustomerHistory {
  return {
    customer,
    transactions: [],
    usage: [],
    points: [],
    offers: [],
    support: [],
    lines: [],
    bills: [],
    engagement: [],
    campaigns: [],
  };
}

/**
 * Product categories, in the order of the spend-share features. A product of a category outside
 * this list (an imported catalogue) counts in no share.
 */
export const PRODUCT_CATEGORIES = [
  'devices',
  'accessories',
  'data',
  'entertainment',
  'travel',
  'premium',
] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

export interface Product {
  code: string;
  category: string;
  name: string;
  priceCents: number;
}
