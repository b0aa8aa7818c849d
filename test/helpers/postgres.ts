import { randomBytes } from 'node:crypto';
import { PostgresBackend } from '../../src/features/sql/postgres-backend.js';

/** The PostgreSQL of the machine (CI has it; trust auth); override with LOYALTY_TEST_POSTGRES_URL. */
export const POSTGRES_SERVER_URL =
  process.env.LOYALTY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Whether PostgreSQL tests can run. Off CI an unreachable server skips them; on CI (CI=true) it
 * is an error, so a missing database can never turn into a green run.
 */
export async function postgresAvailable(): Promise<boolean> {
  const probe = new PostgresBackend({ url: POSTGRES_SERVER_URL, poolSize: 1, queryTimeoutMs: 2_000 });
  try {
    await probe.select('SELECT 1 AS ok');
    return true;
  } catch (err) {
    if (process.env.CI === 'true')
      throw new Error(`CI=true and PostgreSQL at ${POSTGRES_SERVER_URL} is unreachable: ${String(err)}`);
    return false;
  } finally {
    await probe.close().catch(() => {});
  }
}

/** A fresh database of its own for one test file, dropped afterwards. */
export async function createPostgresTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `loyalty_test_${randomBytes(4).toString('hex')}`;
  const admin = new PostgresBackend({ url: POSTGRES_SERVER_URL, poolSize: 1, queryTimeoutMs: 10_000 });
  await admin.execute(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(POSTGRES_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new PostgresBackend({ url: POSTGRES_SERVER_URL, poolSize: 1, queryTimeoutMs: 10_000 });
      await dropper.execute(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.close();
    },
  };
}

/** A backend on a fresh database of its own; `done` closes it and drops the database. */
export async function openPostgresTestBackend(poolSize: number) {
  const db = await createPostgresTestDatabase();
  const backend = new PostgresBackend({ url: db.url, poolSize, queryTimeoutMs: 30_000 });
  return {
    backend,
    done: async () => {
      await backend.close();
      await db.drop();
    },
  };
}
