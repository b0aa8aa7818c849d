import { status } from '@grpc/grpc-js';
import { Errors, LoyaltyError } from '../errors.js';
import type { Explanation } from '../explain/explainer.js';
import type { Predictor } from '../serving/predictor.js';
import type { RowSource } from '../serving/row-fetch.js';
import { fetchRows } from '../serving/row-fetch.js';
import { checkCustomerId } from '../serving/subjects.js';
import type { ActionCatalog } from './action-catalog.js';
import { type ActionScorer, rankActions, recommendedOf, type WeighedAction } from './action-scorer.js';
import type { ContactHistory } from './contact-history.js';

/** A Decide call's answer: every action, eligible ones first by expected net value. */
export interface Decision {
  customerId: string;
  /** The features' as-of day. */
  featuresAsOf: string;
  /** The first eligible action with a positive expected net value; undefined: contact no one. */
  recommended: string | undefined;
  actions: WeighedAction[];
  /** The model versions that answered, by model. */
  versions: Map<string, string>;
  currency: string;
  /** Whether the recommended action was recorded as a contact (the request asked). */
  recorded: boolean;
  /** Reason codes of the recommended action's effect model, when asked. */
  explanation: Explanation | undefined;
}

export interface DecideOptions {
  /** The time the contact policy counts back from (epoch ms); default now. */
  at: number | undefined;
  /** Record the recommended action as a contact made now (the caller acts on it). */
  record: boolean;
  /** Explain the recommended action's effect model for the customer. */
  explain: boolean;
}

/** How far a decision's time may be from now: contacts in the far future or past are a mistake. */
const MAX_SKEW_MS = 20 * 365 * 86_400_000;

/** Next-best-action for one customer: eligibility, contact policy, expected net value. */
export class Decider {
  constructor(
    private readonly deps: {
      catalog: { current(): ActionCatalog };
      rows: RowSource;
      scorer: ActionScorer;
      contacts: ContactHistory;
      predictor: Pick<Predictor, 'predict'>;
    },
  ) {}

  async decide(customerId: string, options: DecideOptions, signal: AbortSignal): Promise<Decision> {
    const catalog = this.deps.catalog.current();
    const id = checkCustomerId(customerId, 'customer_id');
    const now = options.at ?? Date.now();
    if (!Number.isFinite(now) || Math.abs(now - Date.now()) > MAX_SKEW_MS)
      throw Errors.invalidArgument('at must be a time within 20 years of now');
    const found = await fetchRows(this.deps.rows, [{ kind: 'customer', customerId: id }], signal);
    const row = found.get(id);
    if (!row) throw new LoyaltyError(status.NOT_FOUND, `customer ${id} is not in the feature store`);
    const [weighed] = await this.deps.scorer.weigh(catalog, [row], now, true, signal);
    const actions = rankActions(weighed!.actions);
    const recommended = recommendedOf(actions)?.action;
    const explanation =
      recommended && options.explain ? await this.explain(recommended.effect.model, id, signal) : undefined;
    if (recommended && options.record)
      await this.deps.contacts.record([
        { customerId: id, at: now, action: recommended.code, channel: recommended.channel, source: 'decide' },
      ]);
    return {
      customerId: id,
      featuresAsOf: row.asOf,
      recommended: recommended?.code,
      actions,
      versions: weighed!.versions,
      currency: catalog.currency,
      recorded: recommended !== undefined && options.record,
      explanation,
    };
  }

  private async explain(
    model: string,
    customerId: string,
    signal: AbortSignal,
  ): Promise<Explanation | undefined> {
    const answer = await this.deps.predictor.predict(
      { name: model, version: '' },
      [{ customerId }],
      { topK: 0, explain: true, forecast: false },
      signal,
    );
    const result = answer.results[0];
    return result && 'explanation' in result ? result.explanation : undefined;
  }
}
