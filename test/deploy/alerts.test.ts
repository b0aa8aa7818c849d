import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_RULES, promtool } from '../helpers/promtool.js';

/**
 * deploy/monitoring's alerting rules, checked by Prometheus's promtool (Debian's prometheus
 * package, installed by `make test-tools`): valid rules, and their unit tests (firing and quiet
 * cases for every alert). test/e2e/drift.test.ts runs the drift alerts on a real server's metrics.
 */
describe('the Prometheus alerting rules', () => {
  it('are valid rules', () => {
    const check = promtool(['check', 'rules', ALERT_RULES]);
    expect(check.status, check.output).toBe(0);
    expect(check.output).toMatch(/SUCCESS: 6 rules found/);
  });

  it('fire exactly as their unit tests say', () => {
    const test = promtool(['test', 'rules', 'loyalty-alerts.test.yaml'], dirname(ALERT_RULES));
    expect(test.status, test.output).toBe(0);
    expect(test.output).toMatch(/SUCCESS/);
  });
});
