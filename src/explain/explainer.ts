import type { WorkerModel } from '../inference/protocol.js';
import { rankItems, rankLabels, regressionValue } from '../models/postprocess.js';
import type { ServedModel } from '../models/served-model.js';
import { seedOfKey } from '../random.js';
import { reasonPhrase, targetWords } from './phrases.js';
import { planShapley, shapleyValues } from './shapley.js';

/** Customers one call may ask to explain: each costs about 2 x inputs x background rows evaluations. */
export const MAX_EXPLAINED = 100;

/** Reasons returned per direction: the strongest up and the strongest down. */
export const REASONS_PER_DIRECTION = 3;

export interface Reason {
  feature: string;
  /** The customer's value, as served. */
  value: number;
  /** The reference median of the feature, when the manifest has a reference. */
  typical: number | undefined;
  /** Its Shapley value: how much it moved the score from the base value. */
  contribution: number;
  phrase: string;
}

export interface Explanation {
  /** The label, class or item whose score is explained (the top one for classes and rankings). */
  target: string;
  /** The explained score for this customer. */
  value: number;
  /** Its mean over the model's background sample. */
  baseValue: number;
  /** Up to REASONS_PER_DIRECTION raising the score (largest first), then as many lowering it. */
  reasons: Reason[];
  /** Every input's Shapley value, in input order (they sum to value - baseValue). */
  contributions: Float64Array;
  /** Model rows evaluated for this explanation. */
  evaluations: number;
}

export interface ExplainerDeps {
  /** The inference workers: explanations run on the same threads as predictions. */
  infer(model: WorkerModel, rows: number, data: Float32Array): Promise<Float32Array>;
  /** Explanations computed at once; more wait their turn (with their call's deadline). */
  concurrency: number;
}

/**
 * Reason codes: Shapley values of the served score (shapley.ts) against the background rows
 * the training pipeline stored in the manifest, evaluated by the served model itself on the
 * inference workers, turned into the strongest reasons either way with plain-language phrases.
 * Its rows bypass the batch schedulers so that they count in no prediction metric.
 */
export class Explainer {
  private running = 0;
  private readonly waiting: {
    signal: AbortSignal;
    resolve: () => void;
    reject: (reason: unknown) => void;
  }[] = [];
  private readonly backgrounds = new WeakMap<ServedModel, Float32Array>();

  constructor(private readonly deps: ExplainerDeps) {}

  /**
   * Explains one served row: `input` as the model got it, `output` its output row, `seedKey`
   * the customer (the same customer gets the same sampled orders on every call).
   */
  async explain(
    model: ServedModel,
    input: Float32Array,
    output: Float32Array,
    recentItems: readonly string[],
    seedKey: string,
    signal: AbortSignal,
  ): Promise<Explanation> {
    const m = model.manifest;
    const { index, label } = explainedOutput(model, output, recentItems);
    // Planned once its turn comes: a plan is ~200 KB for 16 inputs, and only `concurrency` exist
    // at a time however many customers wait.
    await this.turn(signal);
    let plan: ReturnType<typeof planShapley>;
    let out: Float32Array;
    try {
      plan = planShapley(input, this.background(model), seedOfKey(seedKey));
      out = await this.deps.infer(model.worker, plan.count, plan.rows);
    } finally {
      this.release();
    }
    const scores = Float64Array.from({ length: plan.count }, (_, r) => {
      const raw = out[r * model.outputs + index]!;
      if (m.output.kind === 'uplift') return raw - out[r * model.outputs + 1]!;
      return m.output.kind === 'regression' ? regressionValue(raw, m) : raw;
    });
    const shapley = shapleyValues(plan, scores);
    const target = targetWords(m, label);
    const probability = m.output.kind !== 'regression';
    const all = m.inputs.map((feature, i) => ({ feature, i, contribution: shapley.contributions[i]! }));
    const up = all.filter((r) => r.contribution > 0).sort((a, b) => b.contribution - a.contribution);
    const down = all.filter((r) => r.contribution < 0).sort((a, b) => a.contribution - b.contribution);
    const reasons = [...up.slice(0, REASONS_PER_DIRECTION), ...down.slice(0, REASONS_PER_DIRECTION)].map(
      ({ feature, i, contribution }): Reason => {
        const typical = m.reference?.inputs[i]?.median;
        return {
          feature,
          value: input[i]!,
          typical,
          contribution,
          phrase: reasonPhrase(feature, input[i]!, typical, contribution, target, probability),
        };
      },
    );
    return {
      target: label ?? m.output.labels[0] ?? model.name,
      value: shapley.value,
      baseValue: shapley.base,
      reasons,
      contributions: shapley.contributions,
      evaluations: plan.count,
    };
  }

  private background(model: ServedModel): Float32Array {
    let rows = this.backgrounds.get(model);
    if (!rows) {
      rows = Float32Array.from(model.manifest.explanation!.background.flat());
      this.backgrounds.set(model, rows);
    }
    return rows;
  }

  /**
   * A slot among `concurrency`. Waiters keep their call's signal instead of a listener on it (a
   * call explaining 100 customers would otherwise put 100 listeners on one signal): a waiter whose
   * call has gone is dropped when it reaches the head of the queue.
   */
  private turn(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.running < this.deps.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiting.push({ signal, resolve, reject }));
  }

  private release(): void {
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      if (next.signal.aborted) {
        next.reject(next.signal.reason);
        continue;
      }
      next.resolve();
      return;
    }
    this.running--;
  }
}

/**
 * Which output is explained: the probability or value; for classes the top class; for a
 * ranking the top item served (the customer's recent purchases left out, as served).
 */
function explainedOutput(
  model: ServedModel,
  output: Float32Array,
  recentItems: readonly string[],
): { index: number; label: string | undefined } {
  const o = model.manifest.output;
  // An uplift model's explained score is its effect: treated (index 0) minus untreated.
  if (o.kind === 'binary_probability' || o.kind === 'regression' || o.kind === 'uplift')
    return { index: 0, label: undefined };
  const top =
    o.kind === 'ranking'
      ? rankItems(output, model.manifest, 1, recentItems)[0]
      : rankLabels(output, model.manifest, 1)[0];
  const index = top ? o.labels.indexOf(top.code) : 0;
  return { index: Math.max(0, index), label: top?.name };
}
