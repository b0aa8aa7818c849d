import { Random } from '../random.js';
import { type Dataset, TEST, TRAIN, VALIDATION } from './dataset.js';
import type { TargetConfig } from './pipeline-config.js';

/**
 * The IBM Telco Customer Churn file as a training set, to check the pipeline on real data.
 * Encoding: tenure, MonthlyCharges and TotalCharges as numbers (a blank TotalCharges, which the
 * 11 customers with tenure 0 have, is 0) plus log(1 + tenure); SeniorCitizen as 0/1; the yes/no
 * columns (Partner, Dependents, PhoneService, PaperlessBilling) as 0/1, gender as 1 for Female;
 * every other column one-hot over its values in file order. Churn "Yes" is the positive class.
 */
const NUMERIC = ['tenure', 'MonthlyCharges', 'TotalCharges'] as const;
const BINARY = ['SeniorCitizen', 'Partner', 'Dependents', 'PhoneService', 'PaperlessBilling'] as const;
const CATEGORICAL = [
  'MultipleLines',
  'InternetService',
  'OnlineSecurity',
  'OnlineBackup',
  'DeviceProtection',
  'TechSupport',
  'StreamingTV',
  'StreamingMovies',
  'Contract',
  'PaymentMethod',
] as const;

export interface TelcoData {
  featureNames: string[];
  x: Float32Array;
  y: Float32Array;
}

export function parseTelco(text: string): TelcoData {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',');
  const rows = lines.slice(1).map((l) => {
    const fields = l.split(',');
    if (fields.length !== header.length)
      throw new Error(`telco: a line has ${fields.length} fields, not ${header.length}`);
    return Object.fromEntries(header.map((h, i) => [h, fields[i]!.trim()]));
  });
  const levels = Object.fromEntries(CATEGORICAL.map((c) => [c, [...new Set(rows.map((r) => r[c]!))]]));
  const featureNames = [
    ...NUMERIC,
    'log_tenure',
    'gender_female',
    ...BINARY,
    ...CATEGORICAL.flatMap((c) => levels[c]!.map((v) => `${c}=${v}`)),
  ];
  const x = new Float32Array(rows.length * featureNames.length);
  const y = new Float32Array(rows.length);
  rows.forEach((r, i) => {
    const values: number[] = [
      Number(r.tenure),
      Number(r.MonthlyCharges),
      r.TotalCharges === '' ? 0 : Number(r.TotalCharges),
      Math.log1p(Number(r.tenure)),
      r.gender === 'Female' ? 1 : 0,
      ...BINARY.map((b) => (r[b] === 'Yes' || r[b] === '1' ? 1 : 0)),
      ...CATEGORICAL.flatMap((c) => levels[c]!.map((v) => (r[c] === v ? 1 : 0))),
    ];
    if (values.some((v) => !Number.isFinite(v)))
      throw new Error(`telco: row ${i + 2} has a value that is not a number`);
    x.set(values, i * featureNames.length);
    y[i] = r.Churn === 'Yes' ? 1 : 0;
  });
  return { featureNames, x, y };
}

/**
 * A stratified split: within each class, a seeded shuffle puts testShare of the rows in the
 * test set and validationShare of the rest in the validation set.
 */
export function stratifiedSplit(
  y: Float32Array,
  seed: number,
  testShare = 0.2,
  validationShare = 0.15,
): Uint8Array {
  const split = new Uint8Array(y.length);
  const rng = new Random(seed, 1234);
  for (const label of [0, 1]) {
    const rows = Array.from(y.keys()).filter((i) => y[i] === label);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    const nTest = Math.round(rows.length * testShare);
    const nVal = Math.round((rows.length - nTest) * validationShare);
    rows.forEach((r, k) => {
      split[r] = k < nTest ? TEST : k < nTest + nVal ? VALIDATION : TRAIN;
    });
  }
  return split;
}

export function telcoDataset(data: TelcoData, target: TargetConfig, split: Uint8Array): Dataset {
  return {
    target,
    featureNames: data.featureNames,
    customerIds: Array.from(data.y, (_, i) => `T${i}`),
    x: data.x,
    y: data.y,
    outputs: 1,
    rfm: [],
    recentItems: [],
    split,
  };
}
