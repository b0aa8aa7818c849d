import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAudience } from '../../src/audiences/audience.js';
import type { AudienceRow } from '../../src/audiences/audience-runner.js';
import { AudienceStore } from '../../src/audiences/audience-store.js';
import { OptOuts } from '../../src/audiences/opt-outs.js';
import { SqlPolicyAudit } from '../../src/audit/policy-audit.js';
import type { SqlBackend } from '../../src/features/sql/sql-backend.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { mysqlAvailable, openMysqlTestBackend } from '../helpers/mysql.js';
import { openPostgresTestBackend, postgresAvailable } from '../helpers/postgres.js';

/**
 * What the console keeps in the feature store's database, on each of its three databases: saved
 * audiences (who and when), the export history, the lists written as CRM tables (switched in
 * whole), the opt-out table or view, and the serving policy's audit trail.
 */
function suite(name: string, open: () => Promise<{ backend: SqlBackend; done(): Promise<void> }>) {
  it(`${name}: audiences, exports, CRM tables, opt-outs and the policy audit trail`, async () => {
    const { backend, done } = await open();
    try {
      const store = new AudienceStore(backend);
      expect(await store.list()).toEqual([]);
      await store.save(
        'at-risk-gold',
        'model=churn&tiers=gold',
        'marketer',
        Date.parse('2026-12-01T10:00:00Z'),
      );
      await store.save(
        'at-risk-gold',
        'model=churn&tiers=gold&top=500',
        'ops',
        Date.parse('2026-12-02T11:30:00Z'),
      );
      await store.save('all', 'model=ltv', 'ops');
      const saved = await store.list();
      expect(saved.map((a) => a.name)).toEqual(['all', 'at-risk-gold']);
      expect(saved[1]).toEqual({
        name: 'at-risk-gold',
        query: 'model=churn&tiers=gold&top=500',
        savedBy: 'ops',
        savedAt: '2026-12-02 11:30:00',
      });
      expect(await store.remove('all')).toBe(true);
      expect(await store.remove('all')).toBe(false);

      const row = (id: string, holdout: boolean): AudienceRow => ({
        id,
        version: '1',
        score: 0.75,
        band: 'high',
        top: '',
        unit: '',
        segment: 'AT_RISK',
        tier: 'gold',
        holdout,
        ltv: 812.5,
      });
      const { columns } = parseAudience(new URLSearchParams('model=churn&columns=risk_band,ltv,uplift'));
      const first = await store.crmTable('at-risk-gold', columns);
      await first.write(
        [row('C1', false), row('C2', true), row('C3', false)],
        'churn',
        '2026-12-02 12:00:00',
      );
      await first.commit();
      const read = (): Promise<unknown[][]> =>
        backend.selectArrays(
          `SELECT customer_id, model, score, holdout, risk_band, ltv, uplift, exported_at FROM ${first.table} ORDER BY customer_id`,
        );
      const cells = (r: unknown[]) =>
        r.map((v) => (v === null ? null : typeof v === 'string' ? v.slice(0, 19) : Number(v)));
      // An uplift not asked of the model is empty (NULL), not 0.
      expect((await read()).map(cells)).toEqual(
        ['C1', 'C2', 'C3'].map((id, i) => [
          id,
          'churn',
          0.75,
          i === 1 ? 1 : 0,
          'high',
          812.5,
          null,
          '2026-12-02 12:00:00',
        ]),
      );
      // The next export replaces the list whole; an abandoned one leaves it as it was.
      const second = await store.crmTable('at-risk-gold', columns);
      await second.write([row('C9', false)], 'churn', '2026-12-03 12:00:00');
      await second.commit();
      expect((await read()).map((r) => r[0])).toEqual(['C9']);
      const third = await store.crmTable('at-risk-gold', columns);
      await third.write([row('C5', false)], 'churn', '2026-12-04 12:00:00');
      await third.abandon();
      expect((await read()).map((r) => r[0])).toEqual(['C9']);

      for (const [at, destination] of [
        ['2026-12-02 12:00:00', 'table:crm_audience_at_risk_gold'],
        ['2026-12-03 12:00:00', 'file:audience-at-risk-gold-churn-v1-2026-12-03.csv'],
      ])
        await store.recordExport({
          exportedAt: at!,
          audience: 'at-risk-gold',
          query: 'model=churn',
          model: 'churn',
          modelVersion: '1',
          destination: destination!,
          rows: 3,
          holdout: 1,
          exportedBy: 'marketer',
        });
      expect((await store.exports()).map((e) => [e.exportedAt, e.destination])).toEqual([
        ['2026-12-03 12:00:00', 'file:audience-at-risk-gold-churn-v1-2026-12-03.csv'],
        ['2026-12-02 12:00:00', 'table:crm_audience_at_risk_gold'],
      ]);

      // Opt-outs: none without the table; a view over a team's own consent column works alike.
      const optOuts = new OptOuts(backend);
      expect(await optOuts.available()).toBe(false);
      expect(await optOuts.of(['C1'])).toEqual(new Set());
      await backend.execute(
        'CREATE TABLE consent (customer_id VARCHAR(64) NOT NULL, marketing INT NOT NULL)',
      );
      await backend.insertRows(
        'consent',
        ['customer_id', 'marketing'],
        [
          ['C1', 1],
          ['C2', 0],
          ['C3', 0],
        ],
      );
      await backend.execute('CREATE VIEW opt_outs AS SELECT customer_id FROM consent WHERE marketing = 0');
      expect(await optOuts.available()).toBe(true);
      expect(await optOuts.of(['C1', 'C2', 'C4'])).toEqual(new Set(['C2']));

      const audit = new SqlPolicyAudit(backend);
      expect(await audit.recent(10)).toEqual([]);
      await audit.record({
        changedAt: '2026-12-02 09:00:00',
        caller: 'ops',
        peer: '127.0.0.1',
        model: 'churn',
        before: null,
        after: { default: '2', labels: {} },
      });
      await audit.record({
        changedAt: '2026-12-02 09:05:00',
        caller: 'ops',
        peer: '127.0.0.1',
        model: 'churn',
        before: { default: '2', labels: {} },
        after: { default: '2', canary: { version: '3', percent: 10 }, labels: {} },
      });
      const changes = await audit.recent(1);
      expect(changes).toEqual([
        {
          changedAt: '2026-12-02 09:05:00',
          caller: 'ops',
          peer: '127.0.0.1',
          model: 'churn',
          before: { default: '2', labels: {} },
          after: { default: '2', canary: { version: '3', percent: 10 }, labels: {} },
        },
      ]);
      expect((await audit.recent(10)).map((c) => c.before)).toEqual([{ default: '2', labels: {} }, null]);
    } finally {
      await done();
    }
  });
}

describe('the console tables', () => {
  suite('SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loyalty-console-tables-'));
    const backend = new SqliteBackend(join(dir, 'store.sqlite'));
    return {
      backend,
      done: async () => {
        await backend.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});

const postgres = await postgresAvailable();
describe.runIf(postgres)('on PostgreSQL', () => {
  suite('PostgreSQL', () => openPostgresTestBackend(2));
});

const mysql = await mysqlAvailable();
describe.runIf(mysql)('on MariaDB', () => {
  suite('MariaDB', () => openMysqlTestBackend(2));
});
