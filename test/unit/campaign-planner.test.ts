import { describe, expect, it } from 'vitest';
import { exactAssignment, type PlanProblem, planAssignment } from '../../src/decisioning/campaign-planner.js';
import { Random } from '../../src/random.js';

/** A random instance: some pairs ineligible, some not worth it, a budget and capacities that bind. */
function instance(seed: number, customers: number, actions: number): PlanProblem {
  const rng = new Random(seed, 1);
  const cost = new Float32Array(customers * actions);
  const net = new Float32Array(customers * actions);
  const unitCost = Array.from({ length: actions }, () => 1 + rng.int(0, 9));
  for (let i = 0; i < customers; i++)
    for (let j = 0; j < actions; j++) {
      const k = i * actions + j;
      cost[k] = unitCost[j]!;
      net[k] = rng.chance(0.15) ? Number.NEGATIVE_INFINITY : rng.normal(2, 4);
    }
  const total = (unitCost.reduce((s, c) => s + c, 0) * customers) / actions;
  return {
    customers,
    actions,
    net,
    cost,
    budget: Math.round(total * (0.2 + 0.5 * rng.uniform())),
    capacities: Array.from({ length: actions }, () => (rng.chance(0.5) ? Infinity : rng.int(1, customers))),
  };
}

function check(p: PlanProblem, choice: Int16Array) {
  let spent = 0;
  const used = new Array(p.actions).fill(0);
  choice.forEach((j, i) => {
    if (j < 0) return;
    const k = i * p.actions + j;
    expect(p.net[k]).toBeGreaterThan(0);
    spent += p.cost[k]!;
    used[j]++;
  });
  expect(spent).toBeLessThanOrEqual(p.budget + 1e-6);
  used.forEach((u, j) => {
    expect(u).toBeLessThanOrEqual(p.capacities[j]!);
  });
}

describe('campaign planner', () => {
  // Measured: mean gap 0.57%, the optimum itself on 273 of 300; the worst 34.6% (7 customers, where
  // one pair is a large share of the budget: the knapsack's hard case, which a base of thousands
  // of customers does not have).
  it('never breaks the budget, a capacity or eligibility, and stays within 1.5% of the optimum on average over 300 small instances', () => {
    const gaps: number[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const p = instance(seed, 7, 3);
      const exact = exactAssignment(p);
      const planned = planAssignment(p);
      check(p, planned.choice);
      check(p, exact.choice);
      expect(planned.value).toBeLessThanOrEqual(exact.value + 1e-4);
      if (exact.value > 0) gaps.push(1 - planned.value / exact.value);
    }
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    const worst = Math.max(...gaps);
    console.log(
      `planner gap over ${gaps.length} instances: mean ${(100 * mean).toFixed(2)}%, worst ${(100 * worst).toFixed(2)}%, exact on ${gaps.filter((g) => g < 1e-6).length}`,
    );
    expect(mean).toBeLessThan(0.015);
    expect(gaps.filter((g) => g < 1e-6).length).toBeGreaterThan(0.85 * gaps.length);
    expect(worst).toBeLessThan(0.5);
  });

  it('without binding constraints gives every customer their best positive action', () => {
    const p = instance(7, 50, 4);
    const free = { ...p, budget: Infinity, capacities: [Infinity, Infinity, Infinity, Infinity] };
    const a = planAssignment(free);
    for (let i = 0; i < 50; i++) {
      let best = -1;
      for (let j = 0; j < 4; j++)
        if (p.net[i * 4 + j]! > 0 && (best < 0 || p.net[i * 4 + j]! > p.net[i * 4 + best]!)) best = j;
      expect(a.choice[i]).toBe(best);
    }
  });
});
