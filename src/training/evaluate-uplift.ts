import type { Dataset } from './dataset.js';
import type { Evaluation } from './evaluate.js';
import { averageEffect, qiniCoefficient, qiniCurve, upliftAtK } from './uplift-metrics.js';

/** The shares of the base uplift@k is reported at. */
export const UPLIFT_SHARES = [0.1, 0.2, 0.3] as const;

/** Points of a Qini curve kept for the card's plot, whatever the test set's size. */
const CURVE_POINTS = 101;

/**
 * Test-set metrics of an uplift model (its raw rows: treated, untreated probability), beside the
 * rankings a team would otherwise use: random targeting (its uplift@k is the average effect;
 * its Qini coefficient is 0), the response model (ranking by the treated probability alone:
 * who buys when contacted), and the class-transformation learner when given.
 */
export function evaluateUplift(
  ds: Dataset,
  testRows: readonly number[],
  raw: Float32Array,
  classTransformation: Float32Array | undefined,
): Evaluation {
  if (!ds.treatment) throw new Error(`${ds.target.name}: uplift needs a treatment flag on every row`);
  const y = testRows.map((r) => ds.y[r]!);
  const t = testRows.map((r) => ds.treatment![r]!);
  const uplift = testRows.map((_, i) => raw[2 * i]! - raw[2 * i + 1]!);
  const response = testRows.map((_, i) => raw[2 * i]!);
  const random = averageEffect(y, t);
  const metrics: Record<string, number> = {};
  const rankings: [string, number[] | Float32Array | undefined][] = [
    ['', uplift],
    ['baseline_response_', response],
    ['baseline_ct_', classTransformation],
  ];
  for (const [prefix, scores] of rankings) {
    if (!scores) continue;
    for (const k of UPLIFT_SHARES) metrics[`${prefix}uplift_at_${k * 100}`] = upliftAtK(y, t, scores, k);
    metrics[`${prefix}qini`] = qiniCoefficient(y, t, scores);
  }
  for (const k of UPLIFT_SHARES) metrics[`baseline_random_uplift_at_${k * 100}`] = random;
  metrics.baseline_random_qini = 0;
  const nT = t.reduce((s, v) => s + v, 0);
  metrics.treated_response_rate = y.reduce((s, v, i) => s + v * t[i]!, 0) / nT;
  metrics.control_response_rate = y.reduce((s, v, i) => s + v * (1 - t[i]!), 0) / (y.length - nT);
  metrics.treated_share = nT / y.length;
  return {
    metrics,
    plots: {
      kind: 'uplift',
      curves: [
        { name: 'uplift model', ...thin(qiniCurve(y, t, uplift)) },
        { name: 'response model', ...thin(qiniCurve(y, t, response)) },
      ],
    },
  };
}

/** A curve cut to at most CURVE_POINTS points, its end kept. */
function thin(c: { x: number[]; q: number[] }): { x: number[]; q: number[] } {
  if (c.x.length <= CURVE_POINTS) return c;
  const step = (c.x.length - 1) / (CURVE_POINTS - 1);
  const keep = Array.from({ length: CURVE_POINTS }, (_, i) => Math.round(i * step));
  return { x: keep.map((i) => c.x[i]!), q: keep.map((i) => c.q[i]!) };
}
