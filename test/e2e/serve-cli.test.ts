import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { typedLoyaltyClient } from '../helpers/client.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import { inSeconds } from '../helpers/server.js';

const SERVE = new URL('../../dist/cli/serve.js', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'loyalty-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Runs the built server as `make serve` does and waits for its "serving" log line. */
function serve(env: Record<string, string>): Promise<Started> {
  if (!existsSync(SERVE)) throw new Error('dist/cli/serve.js is missing: run `make build` (make test does)');
  const child = spawn(process.execPath, [SERVE.pathname], {
    env: {
      ...process.env,
      LOYALTY_GRPC_HOST: '127.0.0.1',
      LOYALTY_GRPC_PORT: '0',
      LOYALTY_METRICS_PORT: '0',
      LOYALTY_HTTP_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const serving = /"port":(\d+),"msg":"serving"/.exec(out);
      if (serving) resolve({ child, port: Number(serving[1]), stdout: () => out, stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

describe('the serve command', () => {
  it('creates the embedded demo store on first run with progress, serves it, and stops on SIGTERM', async () => {
    const path = join(dir, 'first-run.sqlite');
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

  it('drains in-flight calls within the grace period, then stops', async () => {
    // 3,000 customers streamed one per message: more than HTTP/2 flow control lets through unread.
    const demo = await buildTestSqliteStore();
    const server = await serve({ LOYALTY_SQLITE_PATH: demo.path, LOYALTY_SHUTDOWN_GRACE_MS: '500' });
    expect(server.stderr()).not.toMatch(/generating/);
    const client = typedLoyaltyClient(server.port);
    // A stream the client stops reading stays in flight under flow control.
    const stream = client.open('ScoreCustomers', { kind: 'SCORE_KIND_RFM', chunkSize: 1 });
    let received = 0;
    stream.on('data', () => {
      if (++received === 5) stream.pause();
    });
    stream.on('error', () => {});
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toBe(5);
    const started = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // Within the grace period and the little that closing takes, not seconds after it.
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(server.stdout()).toMatch(/grace period over/);
    client.close();
    demo.cleanup();
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
