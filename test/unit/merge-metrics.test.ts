import { describe, expect, it } from 'vitest';
import { mergeExpositions } from '../../src/cluster/merge-metrics.js';

const processText = (rss: number, calls: number) =>
  [
    '# HELP target_info Target metadata',
    '# TYPE target_info gauge',
    'target_info{service_name="loyalty-inference"} 1',
    '# HELP loyalty_rpc_duration_seconds RPC latency',
    '# TYPE loyalty_rpc_duration_seconds histogram',
    `loyalty_rpc_duration_seconds_count{rpc_method="PredictChurn"} ${calls}`,
    `loyalty_rpc_duration_seconds_bucket{rpc_method="PredictChurn",le="+Inf"} ${calls}`,
    '# HELP loyalty_process_memory_bytes Memory',
    '# TYPE loyalty_process_memory_bytes gauge',
    `loyalty_process_memory_bytes{kind="rss"} ${rss}`,
    '# HELP loyalty_db_queries_total Reads',
    '# TYPE loyalty_db_queries_total counter',
    'loyalty_db_queries_total 3',
    '',
  ].join('\n');

describe('merging the expositions of several server processes', () => {
  const merged = mergeExpositions([
    { process: '0', text: processText(100, 7) },
    { process: '1', text: processText(200, 5) },
  ]);
  const lines = merged.trim().split('\n');

  it('announces each family once, with every process sample under it', () => {
    expect(lines.filter((l) => l === '# TYPE loyalty_process_memory_bytes gauge')).toHaveLength(1);
    const at = lines.indexOf('# TYPE loyalty_process_memory_bytes gauge');
    expect(lines.slice(at + 1, at + 3)).toEqual([
      'loyalty_process_memory_bytes{process="0",kind="rss"} 100',
      'loyalty_process_memory_bytes{process="1",kind="rss"} 200',
    ]);
    // Histogram series stay in their family, after its TYPE line.
    const histogram = lines.indexOf('# TYPE loyalty_rpc_duration_seconds histogram');
    expect(lines.slice(histogram + 1, histogram + 5)).toEqual([
      'loyalty_rpc_duration_seconds_count{process="0",rpc_method="PredictChurn"} 7',
      'loyalty_rpc_duration_seconds_bucket{process="0",rpc_method="PredictChurn",le="+Inf"} 7',
      'loyalty_rpc_duration_seconds_count{process="1",rpc_method="PredictChurn"} 5',
      'loyalty_rpc_duration_seconds_bucket{process="1",rpc_method="PredictChurn",le="+Inf"} 5',
    ]);
  });

  it('labels samples without labels too, and sums nothing', () => {
    expect(lines).toContain('loyalty_db_queries_total{process="0"} 3');
    expect(lines).toContain('loyalty_db_queries_total{process="1"} 3');
    expect(lines.filter((l) => l.startsWith('loyalty_'))).toHaveLength(8);
  });

  it('keeps a label value with braces and quotes intact', () => {
    const text = '# TYPE x gauge\nx{reason="a } \\"b\\""} 1\n';
    expect(mergeExpositions([{ process: '2', text }])).toBe(
      '# TYPE x gauge\nx{process="2",reason="a } \\"b\\""} 1\n',
    );
  });

  it('is empty when no process answered', () => {
    expect(mergeExpositions([])).toBe('');
  });
});
