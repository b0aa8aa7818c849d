import { Random } from '../random.js';

/**
 * The probabilistic view of customer value the CLV literature uses, for serving: BG/NBD (Fader,
 * Hardie & Lee 2005) for how many purchases a customer makes before leaving, Gamma-Gamma (Fader
 * & Hardie 2013) for what each is worth. The training pipeline fits the parameters
 * (training/clv-fit.ts) and stores them in the LTV model's manifest.
 */
export interface BgNbdParameters {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface GammaGammaParameters {
  p: number;
  q: number;
  gamma: number;
}

/** One customer as the BG/NBD sees it: repeat purchases x, the last at t_x, observed for T. */
export interface RepeatHistory {
  x: number;
  tx: number;
  T: number;
}

/** Gauss's hypergeometric function 2F1(a, b; c; z) by its series, for 0 <= z < 1. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 10_000; k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
    if (Math.abs(term) < 1e-14 * Math.abs(sum)) return sum;
  }
  throw new Error('hyp2f1: series did not converge');
}

/** Expected repeat purchases in the next t periods (FHL 2005, equation 10). */
export function expectedRepeatPurchases(
  p: BgNbdParameters,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  const { r, alpha, a, b } = p;
  const front = (a + b + x - 1) / (a - 1);
  const ratio = (alpha + T) / (alpha + T + t);
  const hyp = hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
  const numerator = front * (1 - ratio ** (r + x) * hyp);
  const denominator = x > 0 ? 1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 1;
  return numerator / denominator;
}

/** P(alive) at T of a customer with x repeat purchases, the last at t_x (FHL 2005, equation 11). */
export function probabilityAlive(p: BgNbdParameters, { x, tx, T }: RepeatHistory): number {
  if (x === 0) return 1;
  return 1 / (1 + (p.a / (p.b + x - 1)) * ((p.alpha + T) / (p.alpha + tx)) ** (p.r + x));
}

/**
 * The expected value of a customer's future purchases given x purchases of mean value m (Fader
 * & Hardie 2013, equation 5): between the population's mean and the customer's own.
 */
export function expectedPurchaseValue(g: GammaGammaParameters, x: number, m: number): number {
  return (g.p * (g.gamma + x * m)) / (g.p * x + g.q - 1);
}

/**
 * The models' inputs from what the feature store holds: all purchases (frequency, spend) and the
 * last one's recency, with the customer's tenure as the observation period (the store does not
 * keep the first purchase's day, so a customer is observed from signup), in weeks; m is the mean
 * value of a purchase.
 */
export function clvInputs(
  tenureDays: number,
  rfm: { recencyDays: number; frequency: number; monetaryCents: number },
): RepeatHistory & { m: number } {
  const T = Math.max(0, tenureDays) / 7;
  if (rfm.frequency <= 0) return { x: 0, tx: 0, T, m: 0 };
  return {
    x: rfm.frequency - 1,
    tx: Math.min(T, Math.max(0, tenureDays - rfm.recencyDays) / 7),
    T,
    m: rfm.monetaryCents / 100 / rfm.frequency,
  };
}

/** Expected spend over the next t periods: expected repeat purchases times a purchase's expected value. */
export function expectedSpend(
  bg: BgNbdParameters,
  gg: GammaGammaParameters,
  { x, tx, T }: RepeatHistory,
  m: number,
  t: number,
): number {
  return expectedRepeatPurchases(bg, x, tx, T, t) * expectedPurchaseValue(gg, x, m);
}

export interface SpendForecast {
  probabilityAlive: number;
  expectedTransactions: number;
  expectedSpend: number;
  /** 10th and 90th percentiles of the simulated spend over the horizon. */
  p10: number;
  p90: number;
}

/** Draws behind a forecast's interval: the percentiles move by about 1% of the spend between seeds. */
export const FORECAST_DRAWS = 1000;

/**
 * A customer's purchases and spend over the next t periods: the expectations in closed form,
 * the 10-90% interval by simulation from the posterior (alive or not; if alive, a purchase rate
 * from Gamma(r + x, alpha + T) and a dropout probability from Beta(a, b + x), purchases by a
 * Poisson process each followed by a dropout chance; values from Gamma-Gamma's posterior),
 * seeded so the same customer gets the same interval.
 */
export function forecastSpend(
  bg: BgNbdParameters,
  gg: GammaGammaParameters,
  history: RepeatHistory,
  m: number,
  t: number,
  seed: number,
): SpendForecast {
  const { x, tx, T } = history;
  const alive = probabilityAlive(bg, history);
  // expectedSpend's two factors, kept apart: the transactions are answered too.
  const transactions = expectedRepeatPurchases(bg, x, tx, T, t);
  const value = expectedPurchaseValue(gg, x, m);
  const random = new Random(seed, 0xc1f);
  const draws = new Float64Array(FORECAST_DRAWS);
  // Gamma-Gamma: the customer's mean value is p / nu, nu ~ Gamma(p x + q, gamma + m x).
  const valueShape = gg.p * x + gg.q;
  const valueRate = gg.gamma + m * x;
  for (let i = 0; i < FORECAST_DRAWS; i++) {
    if (random.uniform() >= alive) continue;
    const lambda = random.gamma(bg.r + x, 1) / (bg.alpha + T);
    const pa = random.gamma(bg.a, 1);
    const dropout = pa / (pa + random.gamma(bg.b + x, 1));
    let n = 0;
    let time = -Math.log(1 - random.uniform()) / lambda;
    while (time <= t) {
      n++;
      if (random.uniform() < dropout) break;
      time += -Math.log(1 - random.uniform()) / lambda;
    }
    if (n === 0) continue;
    const nu = random.gamma(valueShape, 1) / valueRate;
    // The sum of n values Gamma(p, nu): Gamma(n p, nu).
    draws[i] = random.gamma(n * gg.p, 1) / nu;
  }
  draws.sort();
  return {
    probabilityAlive: alive,
    expectedTransactions: transactions,
    expectedSpend: transactions * value,
    p10: draws[Math.floor(0.1 * FORECAST_DRAWS)]!,
    p90: draws[Math.floor(0.9 * FORECAST_DRAWS)]!,
  };
}
