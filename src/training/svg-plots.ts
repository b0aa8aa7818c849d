/** Small self-contained SVG charts for model cards: no plotting library, no fonts to install. */

const W = 420;
const H = 360;
const PAD = { left: 56, right: 16, top: 30, bottom: 48 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) =>
  Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);

interface Axes {
  title: string;
  xLabel: string;
  yLabel: string;
  xMax: number;
  yMax: number;
}

function frame(a: Axes, body: string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const grid = ticks
    .map((t) => {
      const x = PAD.left + t * PLOT_W;
      const y = PAD.top + (1 - t) * PLOT_H;
      return (
        `<line x1="${x}" y1="${PAD.top}" x2="${x}" y2="${PAD.top + PLOT_H}" stroke="#eee"/>` +
        `<line x1="${PAD.left}" y1="${y}" x2="${PAD.left + PLOT_W}" y2="${y}" stroke="#eee"/>` +
        `<text x="${x}" y="${PAD.top + PLOT_H + 16}" font-size="11" text-anchor="middle">${fmt(t * a.xMax)}</text>` +
        `<text x="${PAD.left - 6}" y="${y + 4}" font-size="11" text-anchor="end">${fmt(t * a.yMax)}</text>`
      );
    })
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" font-size="14" text-anchor="middle">${esc(a.title)}</text>`,
    grid,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#333"/>`,
    body,
    `<text x="${PAD.left + PLOT_W / 2}" y="${H - 10}" font-size="12" text-anchor="middle">${esc(a.xLabel)}</text>`,
    `<text x="14" y="${PAD.top + PLOT_H / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${PAD.top + PLOT_H / 2})">${esc(a.yLabel)}</text>`,
    '</svg>',
  ].join('\n');
}

const px = (x: number, max: number) => PAD.left + (Math.min(max, Math.max(0, x)) / max) * PLOT_W;
const py = (y: number, max: number) => PAD.top + (1 - Math.min(max, Math.max(0, y)) / max) * PLOT_H;

export function rocSvg(fpr: number[], tpr: number[], auc: number): string {
  const step = Math.max(1, Math.floor(fpr.length / 400));
  const points = fpr
    .map((_, i) => i)
    .filter((i) => i % step === 0 || i === fpr.length - 1)
    .map((i) => `${px(fpr[i]!, 1)},${py(tpr[i]!, 1)}`);
  const body =
    `<line x1="${px(0, 1)}" y1="${py(0, 1)}" x2="${px(1, 1)}" y2="${py(1, 1)}" stroke="#999" stroke-dasharray="4 4"/>` +
    `<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="${points.join(' ')}"/>`;
  return frame(
    {
      title: `ROC curve (AUC ${auc.toFixed(3)})`,
      xLabel: 'false positive rate',
      yLabel: 'true positive rate',
      xMax: 1,
      yMax: 1,
    },
    body,
  );
}

export function calibrationSvg(bins: { predicted: number; observed: number; count: number }[]): string {
  const maxCount = Math.max(...bins.map((b) => b.count));
  const body =
    `<line x1="${px(0, 1)}" y1="${py(0, 1)}" x2="${px(1, 1)}" y2="${py(1, 1)}" stroke="#999" stroke-dasharray="4 4"/>` +
    `<polyline fill="none" stroke="#d62728" stroke-width="2" points="${bins.map((b) => `${px(b.predicted, 1)},${py(b.observed, 1)}`).join(' ')}"/>` +
    bins
      .map(
        (b) =>
          `<circle cx="${px(b.predicted, 1)}" cy="${py(b.observed, 1)}" r="${2 + 5 * Math.sqrt(b.count / maxCount)}" fill="#d62728"/>`,
      )
      .join('');
  return frame(
    {
      title: 'Calibration (dot size: customers per bin)',
      xLabel: 'mean predicted probability',
      yLabel: 'observed rate',
      xMax: 1,
      yMax: 1,
    },
    body,
  );
}

export function scatterSvg(actual: readonly number[], predicted: readonly number[], unit: string): string {
  const sorted = [...actual, ...predicted].sort((a, b) => a - b);
  const max = sorted[Math.floor(sorted.length * 0.99)] || 1;
  const step = Math.max(1, Math.floor(actual.length / 1500));
  const dots = actual
    .filter((_, i) => i % step === 0)
    .map(
      (a, k) =>
        `<circle cx="${px(predicted[k * step]!, max)}" cy="${py(a, max)}" r="1.6" fill="#2ca02c" fill-opacity="0.45"/>`,
    )
    .join('');
  const body = `<line x1="${px(0, max)}" y1="${py(0, max)}" x2="${px(max, max)}" y2="${py(max, max)}" stroke="#999" stroke-dasharray="4 4"/>${dots}`;
  return frame(
    {
      title: 'Predicted vs actual (up to the 99th percentile)',
      xLabel: `predicted (${unit})`,
      yLabel: `actual (${unit})`,
      xMax: max,
      yMax: max,
    },
    body,
  );
}

export function confusionSvg(matrix: number[][], labels: readonly string[]): string {
  const n = labels.length;
  const cell = 34;
  const left = 150;
  const top = 40;
  const size = Math.max(left + n * cell + 20, 540);
  const rowTotals = matrix.map((r) => r.reduce((s, v) => s + v, 0) || 1);
  const cells = matrix
    .flatMap((row, i) =>
      row.map((v, j) => {
        const share = v / rowTotals[i]!;
        const shade = Math.round(255 - share * 200);
        return (
          `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="rgb(${shade},${shade},255)" stroke="#fff"/>` +
          `<text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" font-size="10" text-anchor="middle">${v}</text>`
        );
      }),
    )
    .join('');
  const rowLabels = labels
    .map(
      (l, i) =>
        `<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" font-size="11" text-anchor="end">${esc(l)}</text>`,
    )
    .join('');
  const colLabels = labels
    .map(
      (_, j) =>
        `<text x="${left + j * cell + cell / 2}" y="${top - 6}" font-size="11" text-anchor="middle">${j + 1}</text>`,
    )
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${top + n * cell + 40}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${size / 2}" y="16" font-size="13" text-anchor="middle">Confusion matrix (rows: accepted offer, columns: top-1 prediction)</text>`,
    cells,
    rowLabels,
    colLabels,
    `<text x="10" y="${top + n * cell + 24}" font-size="11">columns numbered in row order; shade: share of the row</text>`,
    '</svg>',
  ].join('\n');
}

/**
 * Qini curves (incremental responders among the top m customers) of rankings, with random
 * targeting's straight line to the end point; negative values are drawn below the axis.
 */
export function qiniSvg(curves: readonly { name: string; x: number[]; q: number[] }[]): string {
  const xMax = Math.max(1, ...curves.flatMap((c) => c.x));
  const qs = curves.flatMap((c) => c.q);
  const lo = Math.min(0, ...qs);
  const span = Math.max(1e-9, Math.max(0, ...qs) - lo);
  const point = (x: number, q: number) => `${px(x, xMax)},${py(q - lo, span)}`;
  const colors = ['#1f77b4', '#d62728', '#2ca02c'];
  const end = curves[0];
  const random = end
    ? `<polyline fill="none" stroke="#999" stroke-width="2" stroke-dasharray="4 4" points="${point(0, 0)} ${point(end.x.at(-1)!, end.q.at(-1)!)}"/>`
    : '';
  const lines = curves
    .map(
      (c, i) =>
        `<polyline fill="none" stroke="${colors[i % colors.length]}" stroke-width="2" points="${c.x
          .map((x, j) => point(x, c.q[j]!))
          .join(' ')}"/>` +
        `<text x="${PAD.left + 8}" y="${PAD.top + 16 + 14 * i}" font-size="11" fill="${colors[i % colors.length]}">${esc(c.name)}</text>`,
    )
    .join('');
  const legend = `<text x="${PAD.left + 8}" y="${PAD.top + 16 + 14 * curves.length}" font-size="11" fill="#999">random targeting</text>`;
  return frame(
    {
      title: 'Qini curve: incremental responders',
      xLabel: 'customers targeted, best first',
      yLabel: `incremental responders (from ${fmt(lo)})`,
      xMax,
      yMax: span,
    },
    random + lines + legend,
  );
}

/** Recall@k of a ranking model and of its baseline, k on the x axis. */
export function recallAtKSvg(points: readonly { k: number; model: number; baseline: number }[]): string {
  const kMax = Math.max(...points.map((p) => p.k));
  const line = (which: 'model' | 'baseline', color: string, dash: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${points
      .map((p) => `${px(p.k, kMax)},${py(p[which], 1)}`)
      .join(' ')}"/>`;
  const legend =
    `<text x="${PAD.left + 8}" y="${PAD.top + 16}" font-size="11" fill="#1f77b4">model</text>` +
    `<text x="${PAD.left + 8}" y="${PAD.top + 30}" font-size="11" fill="#999">most popular items</text>`;
  return frame(
    { title: 'Recall@k of next-window purchases', xLabel: 'k', yLabel: 'recall', xMax: kMax, yMax: 1 },
    line('baseline', '#999', ' stroke-dasharray="4 4"') + line('model', '#1f77b4', '') + legend,
  );
}
