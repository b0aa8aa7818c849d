import { dayNumber, formatDay } from '../../calendar.js';
import type { Product, ProductCategory } from '../history.js';

/** The demo programme's product catalogue: four products per category, prices in cents. */
export const DEMO_PRODUCTS: readonly (Product & { category: ProductCategory; popularity: number })[] = [
  { code: 'DEV-PHONE', category: 'devices', name: 'Smartphone', priceCents: 29_900, popularity: 4 },
  { code: 'DEV-PHONE-PRO', category: 'devices', name: 'Smartphone Pro', priceCents: 89_900, popularity: 1.5 },
  { code: 'DEV-TABLET', category: 'devices', name: 'Tablet', priceCents: 39_900, popularity: 1.5 },
  { code: 'DEV-WATCH', category: 'devices', name: 'Smartwatch', priceCents: 24_900, popularity: 2 },
  { code: 'ACC-CASE', category: 'accessories', name: 'Phone case', priceCents: 1_990, popularity: 4 },
  { code: 'ACC-CHARGER', category: 'accessories', name: 'Fast charger', priceCents: 2_490, popularity: 3 },
  {
    code: 'ACC-EARBUDS',
    category: 'accessories',
    name: 'Wireless earbuds',
    priceCents: 7_990,
    popularity: 2,
  },
  {
    code: 'ACC-SCREEN',
    category: 'accessories',
    name: 'Screen protector',
    priceCents: 1_490,
    popularity: 2.5,
  },
  { code: 'DATA-5GB', category: 'data', name: 'Data pack 5 GB', priceCents: 999, popularity: 4 },
  { code: 'DATA-20GB', category: 'data', name: 'Data pack 20 GB', priceCents: 1_999, popularity: 2.5 },
  { code: 'DATA-DAY', category: 'data', name: 'Unlimited data day', priceCents: 499, popularity: 2 },
  { code: 'DATA-SHARE', category: 'data', name: 'Shared family data', priceCents: 2_999, popularity: 1 },
  {
    code: 'ENT-VIDEO',
    category: 'entertainment',
    name: 'Video streaming month',
    priceCents: 999,
    popularity: 4,
  },
  {
    code: 'ENT-MUSIC',
    category: 'entertainment',
    name: 'Music streaming month',
    priceCents: 799,
    popularity: 3,
  },
  {
    code: 'ENT-GAMES',
    category: 'entertainment',
    name: 'Cloud gaming month',
    priceCents: 1_299,
    popularity: 1.5,
  },
  { code: 'ENT-SPORTS', category: 'entertainment', name: 'Sports pass', priceCents: 1_999, popularity: 1.5 },
  { code: 'TRV-EU', category: 'travel', name: 'EU roaming week', priceCents: 1_499, popularity: 3 },
  { code: 'TRV-WORLD', category: 'travel', name: 'World roaming week', priceCents: 2_999, popularity: 1.5 },
  { code: 'TRV-ESIM', category: 'travel', name: 'Travel eSIM', priceCents: 1_999, popularity: 1.5 },
  { code: 'TRV-INSURE', category: 'travel', name: 'Travel insurance', priceCents: 2_499, popularity: 1 },
  { code: 'PRM-PLAN', category: 'premium', name: 'Premium plan upgrade', priceCents: 1_500, popularity: 3 },
  { code: 'PRM-CARE', category: 'premium', name: 'Device insurance', priceCents: 899, popularity: 2 },
  { code: 'PRM-FAMILY', category: 'premium', name: 'Family plan', priceCents: 2_500, popularity: 1.5 },
  { code: 'PRM-5G', category: 'premium', name: '5G priority', priceCents: 700, popularity: 1.5 },
];

export interface Campaign {
  code: string;
  name: string;
  channel: 'sms' | 'email' | 'push';
  /** Day number of the day contacts go out. */
  startDay: number;
}

const THEMES = [
  'Spring data deal',
  'Summer roaming',
  'Back to school',
  'Points booster',
  'Winter bundle',
  'Device days',
];
const CHANNELS = ['sms', 'email', 'push'] as const;

/** One campaign a month, sent on the 5th, from the start of the history to its end. */
export function demoCampaigns(firstDay: string, lastDay: string): Campaign[] {
  const campaigns: Campaign[] = [];
  const end = dayNumber(lastDay);
  const start = new Date(`${firstDay}T00:00:00Z`);
  for (let m = 0; ; m++) {
    const d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m, 5));
    const day = d.getTime() / 86_400_000;
    if (day > end) break;
    const ym = formatDay(day).slice(0, 7);
    campaigns.push({
      code: `CMP-${ym}`,
      name: `${THEMES[m % THEMES.length]} ${ym}`,
      channel: CHANNELS[m % CHANNELS.length]!,
      startDay: day,
    });
  }
  return campaigns;
}
