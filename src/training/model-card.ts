import type { ModelManifest } from '../models/manifest.js';
import type { Evaluation } from './evaluate.js';
import { calibrationSvg, confusionSvg, rocSvg, scatterSvg } from './svg-plots.js';

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
};

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
  } else {
    files['predicted_vs_actual.svg'] = scatterSvg(p.actual, p.predicted, manifest.output.currency ?? '');
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
    manifest.output.kind === 'binary_probability'
      ? `Ranking and thresholding customers by the predicted probability${manifest.thresholds.riskBands ? ` (risk bands: medium from ${manifest.thresholds.riskBands.medium}, high from ${manifest.thresholds.riskBands.high})` : ''}.`
      : manifest.output.kind === 'class_probabilities'
        ? 'Ranking the offers to make to a customer; the probabilities are conditional on the customer accepting one of them.'
        : `Predicting revenue over the next ${manifest.output.horizonMonths ?? '?'} months (${manifest.output.currency ?? ''}); the network fits log(1 + revenue), so it predicts a typical value rather than the mean, and underestimates totals over many customers.${manifest.output.clip ? ` Served values are clamped to ${manifest.output.clip.min}..${manifest.output.clip.max.toFixed(2)}, the range of the training labels: outside it the network extrapolates exponentially.` : ''}`,
    '',
    '## Data',
    t
      ? `Features as of ${t.featuresAsOf}; label: ${t.label} (${t.labelWindowDays} days after). Rows: ${t.rows.train} train, ${t.rows.validation} validation, ${t.rows.test} test, split by customer. Seed ${t.seed}, ${t.epochs} epochs (${t.backend}).`
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
