import { describe, expect, it } from 'vitest';
import { LiveStats } from '../../src/console/live-stats.js';
import { modelCardHtml } from '../../src/console/model-card-html.js';

describe('model card rendering', () => {
  const url = (file: string) => `/files/${file}`;

  it('renders the pipeline cards: headings, lists, tables, images, code and bold', () => {
    const html = modelCardHtml(
      [
        '# Model card: churn v1',
        '',
        'Probability of **churn** from `tenure_days`.',
        '',
        '- one',
        '- two',
        '',
        '| metric | model |',
        '|---|---|',
        '| ROC-AUC | 0.97 |',
        '',
        '![roc.svg](roc.svg)',
      ].join('\n'),
      url,
    );
    expect(html).toContain('<h3>Model card: churn v1</h3>');
    expect(html).toContain('<p>Probability of <strong>churn</strong> from <code>tenure_days</code>.</p>');
    expect(html).toContain('<ul><li>one</li><li>two</li></ul>');
    expect(html).toContain('<th scope="col">metric</th>');
    expect(html).toContain('<td>ROC-AUC</td><td>0.97</td>');
    expect(html).not.toContain('---');
    expect(html).toContain('<img src="/files/roc.svg" alt="roc.svg" loading="lazy">');
  });

  it('escapes every character of the card: no markup, script or foreign image gets through', () => {
    const html = modelCardHtml(
      [
        '# <script>alert(1)</script>',
        '<img src=x onerror=alert(1)>',
        '| <b>x</b> | "quoted" |',
        '![x](https://evil.example/x.svg)',
        '![x](../../etc/passwd.svg)',
      ].join('\n'),
      url,
    );
    expect(html).not.toMatch(/<script|<img src=x|<b>|evil\.example"|src="\/files\/\.\./);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&quot;quoted&quot;');
  });
});

describe('live figures', () => {
  it('keeps counts per model version and method, and percentiles of the recent samples', () => {
    const live = new LiveStats();
    for (let i = 1; i <= 100; i++) live.onBatch('churn', '1', 4, [], i / 1000);
    live.onDropped('churn', '1', 3);
    for (let i = 1; i <= 2000; i++) live.onRpc('PredictChurn', i % 100 === 0 ? 14 : 0, i / 1000);
    const { versions, methods } = live.snapshot();
    expect(versions).toEqual([
      {
        model: 'churn',
        version: '1',
        rows: 400,
        batches: 100,
        dropped: 3,
        inferenceP50Ms: 51,
        inferenceP99Ms: 100,
      },
    ]);
    expect(methods[0]!.calls).toBe(2000);
    expect(methods[0]!.errors).toBe(20);
    // Over the last 1,024 calls only (977 to 2000 ms).
    expect(methods[0]!.p50Ms).toBe(1489);
    expect(methods[0]!.p99Ms).toBe(1990);
  });

  it('means a shadow agreement over the rows compared', () => {
    const live = new LiveStats();
    live.onShadowCompared('nbo', '1', '2', { rows: 10, absDifferenceSum: 1, top1Agreements: 9 });
    live.onShadowCompared('nbo', '1', '2', { rows: 10, absDifferenceSum: 3, top1Agreements: 5 });
    live.onShadowDropped('nbo', '2', 'busy', 7);
    expect(live.snapshot().shadows).toEqual([
      {
        model: 'nbo',
        version: '1',
        shadowVersion: '2',
        rows: 20,
        meanAbsDifference: 0.2,
        top1Agreement: 0.7,
        dropped: 7,
      },
    ]);
  });
});
