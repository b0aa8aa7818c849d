import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnlineFeatureStore } from '../../src/features/online-store.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { typedLoyaltyClient } from '../helpers/client.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import { serveProcess } from '../helpers/serve-process.js';
import { inSeconds } from '../helpers/server.js';

const SERVE = new URL('../../dist/cli/serve.js', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'loyalty-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const serve = serveProcess;

describe('the serve command', () => {
  it('creates the embedded demo store on first run with progress, serves it, and stops on SIGTERM', async () => {
    // In a folder that does not exist yet, as data/ on a fresh clone.
    const path = join(dir, 'data', 'first-run.sqlite');
    const server = await serve({ LOYALTY_SQLITE_PATH: path, LOYALTY_DEMO_CUSTOMERS: '600' });
    expect(server.stderr()).toMatch(/generating demo customers: 100% \(600\/600/);
    expect(server.stderr()).toMatch(/materializing features: 100%/);
    expect(existsSync(path)).toBe(true);

    const client = typedLoyaltyClient(server.port);
    const { error, response } = await client.unary(
      'GetRfm',
      { customers: [{ customerId: 'C0000001' }] },
      { deadline: inSeconds(5) },
    );
    client.close();
    expect(error).toBeNull();
    expect(response!.results[0]!.outcome).toBe('rfm');

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toMatch(/"msg":"server stopped"/);
  });

  it('builds the store once at a time, and recovers from a first run killed while building it', async () => {
    const path = join(dir, 'interrupted.sqlite');
    const first = spawn(process.execPath, [SERVE.pathname], {
      env: {
        ...process.env,
        LOYALTY_SQLITE_PATH: path,
        LOYALTY_DEMO_CUSTOMERS: '20000',
        LOYALTY_GRPC_PORT: '0',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const firstExited = new Promise((r) => first.on('exit', r));
    await new Promise<void>((resolve) => {
      first.stderr.on('data', (d) => {
        if (/generating demo customers: [1-9]/.test(String(d))) resolve();
      });
    });
    // A second start meanwhile stops with the builder named, and leaves its build alone.
    const second = spawnSync(process.execPath, [SERVE.pathname], {
      env: {
        ...process.env,
        LOYALTY_SQLITE_PATH: path,
        LOYALTY_DEMO_CUSTOMERS: '600',
        LOYALTY_GRPC_PORT: '0',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(second.status).toBe(1);
    expect(`${second.stdout}${second.stderr}`).toMatch(
      new RegExp(`another process \\(pid ${first.pid}\\) is building the demo store`),
    );
    expect(existsSync(`${path}.building`)).toBe(true);

    // Killed while generating customers: its partial store and its lock are left behind.
    first.kill('SIGKILL');
    await firstExited;
    expect(existsSync(`${path}.building.lock`)).toBe(true);
    expect(existsSync(path)).toBe(false);
    const server = await serve({ LOYALTY_SQLITE_PATH: path, LOYALTY_DEMO_CUSTOMERS: '600' });
    expect(server.stderr()).toMatch(/generating demo customers: 100% \(600\/600/);
    expect(existsSync(`${path}.building`)).toBe(false);
    expect(existsSync(`${path}.building.lock`)).toBe(false);
    const client = typedLoyaltyClient(server.port);
    const { error, response } = await client.unary(
      'GetRfm',
      { customers: [{ customerId: 'C0000600' }, { customerId: 'C0000601' }] },
      { deadline: inSeconds(5) },
    );
    client.close();
    expect(error).toBeNull();
    // The new store holds the 600 customers asked for, not the killed run's.
    expect(response!.results.map((r) => r.outcome)).toEqual(['rfm', 'error']);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('drains in-flight calls within the grace period, then stops', async () => {
    // 3,000 customers streamed one per message: more than HTTP/2 flow control lets through unread.
    const demo = await buildTestSqliteStore();
    const server = await serve({ LOYALTY_SQLITE_PATH: demo.path, LOYALTY_SHUTDOWN_GRACE_MS: '500' });
    const client = typedLoyaltyClient(server.port);
    try {
      expect(server.stderr()).not.toMatch(/generating/);
      // A stream the client stops reading stays in flight under flow control.
      const stream = client.open('ScoreCustomers', { kind: 'SCORE_KIND_RFM', chunkSize: 1 });
      let received = 0;
      stream.on('data', () => {
        if (++received === 5) stream.pause();
      });
      stream.on('error', () => {});
      // Test files run two at a time: wait for the messages rather than a fixed time.
      await expect.poll(() => received, { timeout: 10_000 }).toBe(5);
      const started = Date.now();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      // Within the grace period and the little that closing takes, not seconds after it.
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(server.stdout()).toMatch(/grace period over/);
    } finally {
      client.close();
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      demo.cleanup();
    }
  });

  it('refuses an invalid configuration with exit code 2 and the variable named', async () => {
    const child = spawn(process.execPath, [SERVE.pathname], {
      env: { ...process.env, LOYALTY_GRPC_PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/LOYALTY_GRPC_PORT/);
  });
});

describe('the materialize command (the scheduled job)', () => {
  const MATERIALIZE = new URL('../../dist/cli/materialize.js', import.meta.url).pathname;
  const run = (path: string, args: string[]) =>
    spawnSync(process.execPath, [MATERIALIZE, ...args], {
      env: { ...process.env, LOYALTY_SQLITE_PATH: path, LOYALTY_MYSQL_URL: '' },
      encoding: 'utf8',
    });

  it('republishes the features as of a given day and as of the last record, keeping the currency', async () => {
    const demo = await buildTestSqliteStore();
    const published = async () => {
      const backend = new SqliteBackend(demo.path);
      const info = await new OnlineFeatureStore(backend).getFeatureSetInfo();
      await backend.close();
      return info!;
    };
    const before = await published();
    const earlier = run(demo.path, ['--as-of', '2025-06-30']);
    expect(earlier.status).toBe(0);
    expect(await published()).toMatchObject({ asOf: '2025-06-30', currency: before.currency });
    expect(run(demo.path, []).status).toBe(0);
    expect((await published()).asOf).toBe(before.asOf);
    const bad = run(demo.path, ['--as-of', 'tomorrow']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--as-of must be/);
    demo.cleanup();
  });
});
