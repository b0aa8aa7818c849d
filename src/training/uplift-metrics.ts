/**
 * Uplift metrics, defined exactly as scikit-uplift 0.5.1 computes them (the published Hillstrom
 * figures use it; ../shared/notes/uplift-evaluation.md): rows ranked by predicted uplift,
 * highest first, and among equal scores the later row first (a stable ascending sort, reversed).
 * `y` is the 0/1 outcome, `treated` 1 for a treated row and 0 for a control row.
 */

/** Row indices by score, highest first; ties: the later row first. */
function ranked(scores: ArrayLike<number>): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[a]! - scores[b]! || a - b);
  return order.reverse();
}

/**
 * uplift@k with the 'overall' strategy: among the top floor(k n) rows, the treated rows'
 * response rate minus the control rows' (NaN when either group is absent there).
 */
export function upliftAtK(
  y: ArrayLike<number>,
  treated: ArrayLike<number>,
  scores: ArrayLike<number>,
  k: number,
): number {
  if (!(k > 0 && k < 1)) throw new RangeError('k is a share in (0, 1)');
  const top = ranked(scores).slice(0, Math.floor(k * scores.length));
  let nT = 0;
  let rT = 0;
  let nC = 0;
  let rC = 0;
  for (const i of top) {
    if (treated[i] === 1) {
      nT++;
      rT += y[i]!;
    } else {
      nC++;
      rC += y[i]!;
    }
  }
  return nT === 0 || nC === 0 ? Number.NaN : rT / nT - rC / nC;
}

/**
 * The Qini curve: Q(m) = R_T - R_C N_T / N_C over the top m rows (0 while N_C is 0), evaluated
 * at the end of each block of tied scores, from (0, 0).
 */
export function qiniCurve(
  y: ArrayLike<number>,
  treated: ArrayLike<number>,
  scores: ArrayLike<number>,
): { x: number[]; q: number[] } {
  const order = ranked(scores);
  const x = [0];
  const q = [0];
  let nT = 0;
  let rT = 0;
  let rC = 0;
  order.forEach((i, m) => {
    if (treated[i] === 1) {
      nT++;
      rT += y[i]!;
    } else rC += y[i]!;
    const next = order[m + 1];
    if (next !== undefined && scores[next] === scores[i]) return;
    const nC = m + 1 - nT;
    x.push(m + 1);
    q.push(rT - (nC === 0 ? 0 : (rC * nT) / nC));
  });
  return { x, q };
}

const area = (x: readonly number[], q: readonly number[]): number => {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i]! - x[i - 1]!) * (q[i]! + q[i - 1]!)) / 2;
  return a;
};

/**
 * The Qini coefficient: the area between the model's Qini curve and random targeting's (a
 * straight line to the end point), over the same for the perfect ranking (treated responders,
 * then non-responders, then control responders: negative effects allowed).
 */
export function qiniCoefficient(
  y: ArrayLike<number>,
  treated: ArrayLike<number>,
  scores: ArrayLike<number>,
): number {
  const model = qiniCurve(y, treated, scores);
  const perfect = qiniCurve(
    y,
    treated,
    Array.from({ length: y.length }, (_, i) => y[i]! * treated[i]! - y[i]! * (1 - treated[i]!)),
  );
  const baseline = (perfect.x.at(-1)! * perfect.q.at(-1)!) / 2;
  return (area(model.x, model.q) - baseline) / (area(perfect.x, perfect.q) - baseline);
}

/** What random targeting's uplift@k is expected to be: the whole set's treated minus control rate. */
export function averageEffect(y: ArrayLike<number>, treated: ArrayLike<number>): number {
  let nT = 0;
  let rT = 0;
  let rC = 0;
  for (let i = 0; i < y.length; i++) {
    if (treated[i] === 1) {
      nT++;
      rT += y[i]!;
    } else rC += y[i]!;
  }
  return rT / nT - rC / (y.length - nT);
}
