import type { ModelManifest } from '../models/manifest.js';
import type { Evaluation } from './evaluate.js';
import { calibrationSvg, confusionSvg, qiniSvg, recallAtKSvg, rocSvg, scatterSvg } from './svg-plots.js';

const METRIC_NOTES: Record<string, string> = {
  roc_auc: 'ROC-AUC: chance that a random positive scores above a random negative',
  pr_auc: 'PR-AUC (average precision)',
  log_loss: 'log loss (lower is better)',
  brier: 'Brier score (lower is better)',
  positive_rate: 'share of positives in the test set',
  top1_accuracy: 'top-1 accuracy: the accepted offer ranked first',
  top3_accuracy: 'top-3 accuracy: the accepted offer among the first three',
  mae: 'mean absolute error',
  rmse: 'root mean squared error',
  r2: 'R² (share of variance explained)',
  recall_at_10: 'recall@10: share of the products bought next that the top 10 holds',
  ndcg_at_10: 'NDCG@10: recall weighted by rank',
  items_per_customer: 'products bought per test customer in the window',
  uplift_at_10: 'uplift@10%: treated minus control response rate among the top 10% by uplift',
  uplift_at_20: 'uplift@20%',
  uplift_at_30: 'uplift@30%',
  qini: 'Qini coefficient: area between the Qini curve and random targeting, over the perfect ranking',
  treated_response_rate: 'response rate of the treated test rows',
  control_response_rate: 'response rate of the control test rows',
  treated_share: 'share of the test rows treated',
};

const BASELINE_NOTES: Record<string, string> = {
  baseline: 'the base rate for every customer (binary), the most popular classes (multiclass)',
  mean: 'the mean label of the training rows for every customer',
  rfm: 'the mean label of the training customers in the same RFM cell',
  recent:
    "persistence: the recent level of the label (the target's persistenceFeature) scaled by a factor fitted on the training rows",
  popular: 'the products most bought by training customers, with the same recent purchases left out',
  random: 'random targeting: every share gets the average effect, its Qini coefficient is 0',
  response:
    'the response model: customers ranked by their probability of responding when contacted (who buys, not who is moved)',
  ct: 'the class-transformation learner: one network for Z = treated x responded + control x not, uplift 2 P(Z) - 1',
};

/** One line per baseline the metrics name. */
function baselineNotes(metrics: Record<string, number>): string[] {
  const named = new Set(
    Object.keys(metrics).flatMap((k) => {
      const match = /^baseline_(?:([a-z]+)_)?/.exec(k);
      if (!match) return [];
      const name = match[1] ?? 'baseline';
      return BASELINE_NOTES[name] ? [name] : ['baseline'];
    }),
  );
  return [...named].map((n) => `- ${n}: ${BASELINE_NOTES[n]}`);
}

function intendedUse(manifest: ModelManifest): string {
  const o = manifest.output;
  switch (o.kind) {
    case 'binary_probability': {
      const bands = manifest.thresholds.riskBands;
      return `Ranking and thresholding customers by the predicted probability${bands ? ` (risk bands: medium from ${bands.medium}, high from ${bands.high})` : ''}.`;
    }
    case 'class_probabilities':
      return 'Ranking the classes for a customer; the probabilities are conditional on the customer having one of them.';
    case 'uplift':
      return 'Choosing whom to contact: customers ranked by the uplift, the probability of the response if contacted minus if not. Spend the budget on the top of the list (persuadables); the bottom holds customers a contact would put off. Effects are estimated from a randomized control group: valid for contacts like those the training rows received.';
    case 'ranking':
      return `Choosing which products to put in front of a customer: the top k of ${o.labels.length} products by score${o.excludeRecentItems ? ', leaving out what the customer bought in the last 90 days' : ''}.`;
    case 'regression': {
      const what = o.currency ? `revenue (${o.currency})` : (o.unit ?? 'the value');
      const clip = o.clip
        ? ` Served values are clamped to ${o.clip.min}..${o.clip.max.toFixed(2)}, the range of the training labels: outside it the network extrapolates.`
        : '';
      const log =
        o.transform === 'expm1'
          ? ' The network fits log(1 + value), so it predicts a typical value rather than the mean, and underestimates totals over many customers.'
          : o.transform === 'exp'
            ? ' The network predicts the log of the expected value, trained with the Poisson loss: the mean, so totals over many customers add up (budgets), while a single customer is rarely near it.'
            : '';
      return `Predicting ${what} over the next ${o.horizonMonths ?? '?'} months.${log}${clip}`;
    }
  }
}

/** The Markdown model card and its plots (file name -> SVG text). */
export function modelCard(
  manifest: ModelManifest,
  evaluation: Evaluation,
): { markdown: string; files: Record<string, string> } {
  const files: Record<string, string> = {};
  const m = evaluation.metrics;
  const p = evaluation.plots;
  if (p.kind === 'binary') {
    files['roc.svg'] = rocSvg(p.roc.fpr, p.roc.tpr, m.roc_auc!);
    files['calibration.svg'] = calibrationSvg(p.calibration);
  } else if (p.kind === 'multiclass') {
    files['confusion.svg'] = confusionSvg(p.confusion, p.labels);
  } else if (p.kind === 'ranking') {
    files['recall_at_k.svg'] = recallAtKSvg(p.recallAtK);
  } else if (p.kind === 'uplift') {
    files['qini.svg'] = qiniSvg(p.curves);
  } else {
    files['predicted_vs_actual.svg'] = scatterSvg(
      p.actual,
      p.predicted,
      manifest.output.currency ?? manifest.output.unit ?? '',
    );
  }
  const rows = Object.entries(m)
    .filter(([k]) => !k.startsWith('baseline_'))
    .map(([k, v]) => {
      // baseline_<k> is the task's plain baseline; baseline_<name>_<k> a named one.
      const pattern = new RegExp(`^baseline_(?:([a-z]+)_)?${k}$`);
      const baselines = Object.entries(m).flatMap(([b, bv]) => {
        const match = pattern.exec(b);
        return match ? [`${match[1] ?? 'baseline'}: ${bv.toFixed(4)}`] : [];
      });
      return `| ${METRIC_NOTES[k] ?? k} | ${v.toFixed(4)} | ${baselines.join(', ')} |`;
    });
  const t = manifest.training;
  const markdown = [
    `# Model card: ${manifest.name} v${manifest.version}`,
    '',
    manifest.description,
    '',
    '## Intended use',
    intendedUse(manifest),
    '',
    '## Data',
    t
      ? `${featuresFrom(t)}; label: ${t.label}${/ days/.test(t.label) || t.labelWindowDays === undefined ? '' : ` (${t.labelWindowDays} days after)`}. Rows: ${t.rows.train} train, ${t.rows.validation} validation, ${t.rows.test} test, split by customer. Seed ${t.seed}, ${t.epochs} epochs (${t.backend}).`
      : '',
    '',
    `Inputs (raw values, normalization folded into the first layer): ${manifest.inputs.map((i) => `\`${i}\``).join(', ')}.`,
    '',
    '## Test-set metrics',
    '',
    '| metric | model | baselines |',
    '|---|---|---|',
    ...rows,
    '',
    'Baselines, fitted on the training rows:',
    ...baselineNotes(m),
    '',
    manifest.parity
      ? `TFLite parity: max |tflite - tfjs| = ${manifest.parity.maxAbsError.toExponential(2)} over ${manifest.parity.rows} test rows.`
      : '',
    '',
    '## Plots',
    '',
    ...Object.keys(files).map((f) => `![${f}](${f})`),
    '',
    '## Limits',
    'Trained on the generated demo base: it shows the pipeline works and what the planted behaviour yields, not how a real programme behaves. Retrain on your own data before trusting the numbers.',
    '',
  ].join('\n');
  return { markdown, files };
}

/** Where a model's training rows came from, in words. */
function featuresFrom(t: NonNullable<ModelManifest['training']>): string {
  if (t.source === 'prediction_log')
    return `Features as served (prediction log), as of ${t.featuresAsOf} at the latest, each row labelled from its own as-of day`;
  if (t.source === 'labels')
    return `Features of the feature views as of each label's own time (point in time; the last label on ${t.featuresAsOf})`;
  return `Features as of ${t.featuresAsOf}`;
}

const REAL_DATA_START = '<!-- real-data:start -->';
const REAL_DATA_END = '<!-- real-data:end -->';

/**
 * A model card with its real-data section (what `make real-data` measured for this kind of model
 * on public data, written there by bench/real-data.js): `section` replaces the card's, or, given
 * the card it replaces, that card's section is kept, so retraining on demo data keeps it.
 */
export function withRealDataSection(card: string, from: string, section?: string): string {
  const kept =
    section !== undefined
      ? `${REAL_DATA_START}\n${section.trim()}\n${REAL_DATA_END}`
      : (() => {
          const start = from.indexOf(REAL_DATA_START);
          const end = from.indexOf(REAL_DATA_END);
          return start >= 0 && end > start ? from.slice(start, end + REAL_DATA_END.length) : undefined;
        })();
  const start = card.indexOf(REAL_DATA_START);
  const end = card.indexOf(REAL_DATA_END);
  const bare =
    start >= 0 && end > start ? card.slice(0, start) + card.slice(end + REAL_DATA_END.length) : card;
  return kept === undefined ? bare : `${bare.trimEnd()}\n\n${kept}\n`;
}
