/**
 * Assigns at most one action per customer to maximize the plan's expected net value
 * (sum of p x value - cost over the assigned pairs) within a budget (sum of costs) and per-action
 * capacities: a multiple-choice knapsack with capacity constraints, NP-hard in general.
 *
 * The algorithm is a Lagrangian greedy: for a price lambda on the budget, every customer ranks
 * their eligible actions by net - lambda x cost; customers are taken in the order of their best
 * such score and given their best action that still fits (capacity and budget), else their next.
 * Pairs whose net is not positive are never assigned. lambda runs over 0 and the quantiles of
 * the pairs' net / cost ratios, and the best plan found is kept; a last pass fills what budget is
 * left with unassigned customers' best fitting pairs. Exact on small instances against
 * `exactAssignment` (brute force): the gap is measured in test/unit/campaign-planner.test.ts.
 * Time O(L (n A log A + n log n)) for L prices, memory O(n A).
 */
export interface PlanProblem {
  customers: number;
  actions: number;
  /** Expected net value per pair, row-major (customer x action); -Infinity: not eligible. */
  net: Float32Array;
  /** Cost per pair (the action's cost). */
  cost: Float32Array;
  budget: number;
  /** Per action, the most customers it may be given (Infinity: no limit). */
  capacities: readonly number[];
}

export interface Assignment {
  /** Per customer, the action index, or -1 for none. */
  choice: Int16Array;
  value: number;
  spent: number;
}

const PRICES = 16;

export function planAssignment(p: PlanProblem): Assignment {
  const lambdas = [0, ...ratioQuantiles(p, PRICES)];
  let best: Assignment | undefined;
  for (const lambda of lambdas) {
    const a = greedy(p, lambda);
    if (!best || a.value > best.value) best = a;
  }
  return best!;
}

/** Quantiles of net / cost over the pairs with a positive net and cost (the prices tried). */
function ratioQuantiles(p: PlanProblem, count: number): number[] {
  const ratios: number[] = [];
  const n = p.customers * p.actions;
  // A sample is enough to place the prices: at most 100,000 pairs, evenly spaced.
  const step = Math.max(1, Math.floor(n / 100_000));
  for (let k = 0; k < n; k += step) if (p.net[k]! > 0 && p.cost[k]! > 0) ratios.push(p.net[k]! / p.cost[k]!);
  if (ratios.length === 0) return [];
  ratios.sort((a, b) => a - b);
  return Array.from({ length: count }, (_, q) => ratios[Math.floor(((q + 0.5) / count) * ratios.length)]!);
}

function greedy(p: PlanProblem, lambda: number): Assignment {
  const { customers: n, actions: m, net, cost } = p;
  const best = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      if (net[k]! > 0) best[i] = Math.max(best[i]!, net[k]! - lambda * cost[k]!);
    }
  let count = 0;
  for (let i = 0; i < n; i++) if (best[i]! > Number.NEGATIVE_INFINITY) count++;
  const order = new Uint32Array(count);
  for (let i = 0, c = 0; i < n; i++) if (best[i]! > Number.NEGATIVE_INFINITY) order[c++] = i;
  order.sort((a, b) => best[b]! - best[a]! || a - b);
  const left = Float64Array.from(p.capacities);
  const choice = new Int16Array(n).fill(-1);
  let budget = p.budget;
  let value = 0;
  const options = new Int32Array(m);
  const keys = new Float64Array(m);
  const take = (i: number, j: number) => {
    const k = i * m + j;
    choice[i] = j;
    left[j]!--;
    budget -= cost[k]!;
    value += net[k]!;
  };
  for (const i of order) {
    // The customer's pairs with a positive net, best first by net - lambda x cost (insertion sort: m is small).
    let size = 0;
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      if (!(net[k]! > 0)) continue;
      const key = net[k]! - lambda * cost[k]!;
      let at = size++;
      while (at > 0 && keys[at - 1]! < key) {
        keys[at] = keys[at - 1]!;
        options[at] = options[at - 1]!;
        at--;
      }
      keys[at] = key;
      options[at] = j;
    }
    for (let o = 0; o < size; o++) {
      const j = options[o]!;
      if (left[j]! >= 1 && cost[i * m + j]! <= budget + 1e-9) {
        take(i, j);
        break;
      }
    }
  }
  // Fill: budget left by the price's ordering goes to the best fitting pair of each customer left.
  for (const i of order) {
    if (choice[i] !== -1) continue;
    let bestJ = -1;
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      if (
        net[k]! > 0 &&
        left[j]! >= 1 &&
        cost[k]! <= budget + 1e-9 &&
        (bestJ < 0 || net[k]! > net[i * m + bestJ]!)
      )
        bestJ = j;
    }
    if (bestJ >= 0) take(i, bestJ);
  }
  // Improve: a customer moves to a better pair, or gives theirs up for another's better one,
  // while that fits; two passes at most.
  for (let pass = 0; pass < 2; pass++) {
    let improved = false;
    for (let i = 0; i < n; i++) {
      const current = choice[i]!;
      const curNet = current < 0 ? 0 : net[i * m + current]!;
      const curCost = current < 0 ? 0 : cost[i * m + current]!;
      for (let j = 0; j < m; j++) {
        const k = i * m + j;
        if (j === current || !(net[k]! > curNet)) continue;
        if (left[j]! < 1 || cost[k]! - curCost > budget + 1e-9) continue;
        if (current >= 0) {
          left[current]!++;
          budget += curCost;
          value -= curNet;
        }
        take(i, j);
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return { choice, value, spent: p.budget - budget };
}

/** The optimum by trying every assignment: (actions + 1)^customers of them, for tests only. */
export function exactAssignment(p: PlanProblem): Assignment {
  const { customers: n, actions: m } = p;
  if ((m + 1) ** n > 5_000_000) throw new Error('too large for brute force');
  const choice = new Int16Array(n).fill(-1);
  let best: Assignment = { choice: choice.slice(), value: 0, spent: 0 };
  const used = new Float64Array(m);
  const walk = (i: number, value: number, spent: number) => {
    if (i === n) {
      if (value > best.value) best = { choice: choice.slice(), value, spent };
      return;
    }
    choice[i] = -1;
    walk(i + 1, value, spent);
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      if (!(p.net[k]! > 0) || used[j]! + 1 > p.capacities[j]! || spent + p.cost[k]! > p.budget + 1e-9)
        continue;
      choice[i] = j;
      used[j]!++;
      walk(i + 1, value + p.net[k]!, spent + p.cost[k]!);
      used[j]!--;
      choice[i] = -1;
    }
  };
  walk(0, 0, 0);
  return best;
}
