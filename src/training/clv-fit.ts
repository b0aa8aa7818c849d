import type { BgNbdParameters, GammaGammaParameters, RepeatHistory } from '../models/clv.js';

/**
 * Maximum-likelihood fits of the two probabilistic models of the CLV literature, so the pipeline
 * uses parameters of its own data instead of published constants: BG/NBD (Fader, Hardie & Lee
 * 2005) for the number of repeat purchases, Gamma-Gamma (Fader & Hardie 2013) for their value.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 significant digits). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const lnBeta = (a: number, b: number) => lnGamma(a) + lnGamma(b) - lnGamma(a + b);

/** Minimizes f by Nelder-Mead from x0 (deterministic; stops when the simplex's values agree). */
export function nelderMead(f: (x: number[]) => number, x0: number[], maxIterations = 5_000): number[] {
  const n = x0.length;
  let simplex = [x0, ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + 0.5 : v)))].map((x) => ({
    x,
    v: f(x),
  }));
  const at = (from: number[], to: number[], t: number) => from.map((v, i) => v + t * (to[i]! - v));
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    simplex.sort((p, q) => p.v - q.v);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.v - best.v) <= 1e-10 * (Math.abs(best.v) + 1e-10)) break;
    const centroid = x0.map((_, i) => simplex.slice(0, n).reduce((s, p) => s + p.x[i]!, 0) / n);
    const reflected = at(centroid, worst.x, -1);
    const vr = f(reflected);
    if (vr < best.v) {
      const expanded = at(centroid, worst.x, -2);
      const ve = f(expanded);
      simplex[n] = ve < vr ? { x: expanded, v: ve } : { x: reflected, v: vr };
    } else if (vr < simplex[n - 1]!.v) {
      simplex[n] = { x: reflected, v: vr };
    } else {
      const contracted = at(centroid, worst.x, 0.5);
      const vc = f(contracted);
      if (vc < worst.v) simplex[n] = { x: contracted, v: vc };
      else
        simplex = simplex.map((p, i) =>
          i === 0 ? p : { x: at(best.x, p.x, 0.5), v: f(at(best.x, p.x, 0.5)) },
        );
    }
  }
  return simplex.sort((p, q) => p.v - q.v)[0]!.x;
}

/** The BG/NBD log-likelihood of the histories (FHL 2005, equation 6). */
export function bgNbdLogLikelihood(p: BgNbdParameters, histories: readonly RepeatHistory[]): number {
  const { r, alpha, a, b } = p;
  const base = lnBeta(a, b);
  let ll = 0;
  for (const { x, tx, T } of histories) {
    const a1 = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha);
    const a2 = lnBeta(a, b + x) - base - (r + x) * Math.log(alpha + T);
    if (x === 0) {
      ll += a1 + a2;
      continue;
    }
    const a3 = lnBeta(a + 1, b + x - 1) - base - (r + x) * Math.log(alpha + tx);
    const top = Math.max(a2, a3);
    ll += a1 + top + Math.log(Math.exp(a2 - top) + Math.exp(a3 - top));
  }
  return ll;
}

/** BG/NBD parameters of maximum likelihood (searched on their logarithms: all positive). */
export function fitBgNbd(histories: readonly RepeatHistory[]): BgNbdParameters {
  const of = (v: number[]) => ({
    r: Math.exp(v[0]!),
    alpha: Math.exp(v[1]!),
    a: Math.exp(v[2]!),
    b: Math.exp(v[3]!),
  });
  const best = nelderMead((v) => -bgNbdLogLikelihood(of(v), histories), [0, 0, 0, 0]);
  return of(best);
}

/** A repeat customer's spend: x repeat purchases of mean value m. */
export interface RepeatSpend {
  x: number;
  m: number;
}

/** The Gamma-Gamma log-likelihood of the mean values of repeat customers (x > 0). */
export function gammaGammaLogLikelihood(g: GammaGammaParameters, spends: readonly RepeatSpend[]): number {
  const { p, q, gamma } = g;
  let ll = 0;
  for (const { x, m } of spends) {
    ll +=
      lnGamma(p * x + q) -
      lnGamma(p * x) -
      lnGamma(q) +
      q * Math.log(gamma) +
      (p * x - 1) * Math.log(m) +
      p * x * Math.log(x) -
      (p * x + q) * Math.log(gamma + m * x);
  }
  return ll;
}

/** Gamma-Gamma parameters of maximum likelihood, from customers with x > 0 and m > 0. */
export function fitGammaGamma(spends: readonly RepeatSpend[]): GammaGammaParameters {
  const kept = spends.filter((s) => s.x > 0 && s.m > 0);
  const of = (v: number[]) => ({ p: Math.exp(v[0]!), q: Math.exp(v[1]!), gamma: Math.exp(v[2]!) });
  return of(nelderMead((v) => -gammaGammaLogLikelihood(of(v), kept), [0, 0, 0]));
}
