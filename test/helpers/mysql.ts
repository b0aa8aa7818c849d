import { randomBytes } from 'node:crypto';
import { MysqlBackend } from '../../src/features/sql/mysql-backend.js';

/** The MariaDB of the machine (CI starts it); override with LOYALTY_TEST_MYSQL_URL. */
export const MYSQL_SERVER_URL = process.env.LOYALTY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

async function reachable(): Promise<boolean> {
  const probe = new MysqlBackend({ url: MYSQL_SERVER_URL, poolSize: 1, queryTimeoutMs: 2_000 });
  try {
    await probe.select('SELECT 1 AS ok');
    return true;
  } catch {
    return false;
  } finally {
    await probe.close().catch(() => {});
  }
}

/**
 * Whether MySQL tests can run. Off CI an unreachable database skips them; on CI (CI=true)
 * it is an error, so a missing database can never turn into a green run.
 */
export async function mysqlAvailable(): Promise<boolean> {
  if (await reachable()) return true;
  if (process.env.CI === 'true') {
    throw new Error(
      `CI=true and MySQL/MariaDB at ${MYSQL_SERVER_URL} is unreachable; the integration tests need it`,
    );
  }
  return false;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database of its own for one test file, dropped afterwards. */
export async function createTestDatabase(host = '127.0.0.1', port = 3306): Promise<TestDatabase> {
  const name = `loyalty_test_${randomBytes(4).toString('hex')}`;
  const admin = new MysqlBackend({ url: MYSQL_SERVER_URL, poolSize: 1, queryTimeoutMs: 10_000 });
  await admin.execute(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  await admin.close();
  const base = new URL(MYSQL_SERVER_URL);
  base.hostname = host;
  base.port = String(port);
  base.pathname = `/${name}`;
  return {
    url: base.toString(),
    name,
    async drop() {
      const dropper = new MysqlBackend({ url: MYSQL_SERVER_URL, poolSize: 1, queryTimeoutMs: 10_000 });
      await dropper.execute(`DROP DATABASE IF EXISTS ${name}`);
      await dropper.close();
    },
  };
}

/** A backend on a fresh database of its own; `done` closes it and drops the database. */
export async function openMysqlTestBackend(poolSize: number) {
  const db = await createTestDatabase();
  const backend = new MysqlBackend({ url: db.url, poolSize, queryTimeoutMs: 30_000 });
  return {
    backend,
    done: async () => {
      await backend.close();
      await db.drop();
    },
  };
}
