import { status } from '@grpc/grpc-js';
import { LoyaltyError } from '../errors.js';
import type { FeatureRow } from '../features/feature-set.js';
import type { Prediction } from '../serving/prediction.js';
import type { Predictor } from '../serving/predictor.js';
import { type Action, type ActionCatalog, catalogModels } from './action-catalog.js';
import type { ContactHistory } from './contact-history.js';
import { type Contact, contactBlocks, ineligibility, policyWindowDays } from './eligibility.js';

/**
 * One action weighed for one customer: the probability its model gives (the incremental
 * probability of an uplift model, or the probability of acceptance), the value of a response,
 * and the expected net value p x value - cost; or why it is excluded.
 */
export interface WeighedAction {
  action: Action;
  probability: number;
  value: number;
  expectedNet: number;
  /** Reason codes of the rules and caps it breaks (empty: eligible). */
  excludedBy: string[];
}

export interface WeighedCustomer {
  row: FeatureRow;
  actions: WeighedAction[];
  /** The versions that answered, by model name. */
  versions: Map<string, string>;
}

/** Reads every model an action catalogue needs for a batch of customers and weighs each action. */
export class ActionScorer {
  constructor(private readonly deps: { predictor: Pick<Predictor, 'predict'>; contacts: ContactHistory }) {}

  /**
   * The customers' actions, weighed. A model that is not served makes its actions excluded
   * (MODEL_UNAVAILABLE) rather than the call fail; `served` false keeps a plan's batch scoring
   * out of the drift windows.
   */
  async weigh(
    catalog: ActionCatalog,
    rows: readonly FeatureRow[],
    now: number,
    served: boolean,
    signal: AbortSignal,
  ): Promise<WeighedCustomer[]> {
    const ids = rows.map((r) => r.customerId);
    const models = catalogModels(catalog);
    const [answers, contacts] = await Promise.all([
      Promise.all(
        models.map(async (name) => {
          try {
            const answer = await this.deps.predictor.predict(
              { name, version: '' },
              ids.map((customerId) => ({ customerId })),
              // Decisions read the value, not the BG/NBD forecast beside it (~1 ms a customer).
              { topK: 0, explain: false, served, forecast: false },
              signal,
            );
            return { name, answer };
          } catch (err) {
            // A model not loaded, or one the store cannot feed, leaves its actions out; anything
            // else (the store down, the deadline, a shed call) fails the call as it would any.
            const unavailable =
              err instanceof LoyaltyError &&
              (err.code === status.NOT_FOUND || err.code === status.FAILED_PRECONDITION);
            if (signal.aborted || !unavailable) throw err;
            return { name, answer: undefined };
          }
        }),
      ),
      this.deps.contacts.contactsOf(ids, now, policyWindowDays(catalog.contactPolicy)),
    ]);
    const byModel = new Map(answers.map((a) => [a.name, a.answer]));
    return rows.map((row, i) => {
      const versions = new Map<string, string>();
      const predictionOf = (name: string): Prediction | undefined => {
        const result = byModel.get(name)?.results[i];
        if (!result || !('prediction' in result)) return undefined;
        versions.set(name, result.version);
        return result.prediction;
      };
      const made: readonly Contact[] = contacts.get(row.customerId) ?? [];
      const actions = catalog.actions.map((action): WeighedAction => {
        const effect = predictionOf(action.effect.model);
        const probability = effect ? probabilityOf(effect, action.effect.label) : undefined;
        const value =
          'amount' in action.value
            ? action.value.amount
            : shareOfValue(predictionOf(action.value.model), action.value.share);
        const excludedBy = [
          ...ineligibility(action, row),
          ...contactBlocks(catalog.contactPolicy, made, action.channel, now),
        ];
        if (probability === undefined || value === undefined) excludedBy.unshift('MODEL_UNAVAILABLE');
        const p = probability ?? 0;
        const v = value ?? 0;
        return { action, probability: p, value: v, expectedNet: p * v - action.cost, excludedBy };
      });
      return { row, actions, versions };
    });
  }
}

/**
 * What an effect model's answer says the contact earns: an uplift model's incremental
 * probability, a binary probability, or one label's probability; undefined for other outputs
 * (a catalogue naming a regression as an effect) or a label the model lacks.
 */
export function probabilityOf(p: Prediction, label: string | undefined): number | undefined {
  switch (p.kind) {
    case 'uplift':
      return p.uplift;
    case 'binary_probability':
      return p.probability;
    case 'class_probabilities':
      return p.labels.find((l) => l.code === label)?.probability;
    default:
      return undefined;
  }
}

/** A share of a value model's answer (a regression: e.g. lifetime value), or undefined. */
function shareOfValue(p: Prediction | undefined, share: number): number | undefined {
  return p?.kind === 'regression' ? p.value * share : undefined;
}

/** Eligible actions best first (by expected net value, then code), then the excluded ones. */
export function rankActions(actions: readonly WeighedAction[]): WeighedAction[] {
  return [...actions].sort((a, b) => {
    const ea = a.excludedBy.length === 0;
    const eb = b.excludedBy.length === 0;
    if (ea !== eb) return ea ? -1 : 1;
    return b.expectedNet - a.expectedNet || (a.action.code < b.action.code ? -1 : 1);
  });
}

/** The action to recommend of ranked ones: the best, when eligible and worth more than it costs. */
export function recommendedOf(ranked: readonly WeighedAction[]): WeighedAction | undefined {
  const best = ranked[0];
  return best && best.excludedBy.length === 0 && best.expectedNet > 0 ? best : undefined;
}

/** Each customer's recommended action with its expected net value, as Decide recommends it (none: absent). */
export function bestActions(
  customers: readonly WeighedCustomer[],
): Map<string, { code: string; value: number }> {
  const best = new Map<string, { code: string; value: number }>();
  for (const c of customers) {
    const recommended = recommendedOf(rankActions(c.actions));
    if (recommended)
      best.set(c.row.customerId, { code: recommended.action.code, value: recommended.expectedNet });
  }
  return best;
}
