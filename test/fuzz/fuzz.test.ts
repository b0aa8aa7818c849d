import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { healthClient, type TestServer, withDemoServer } from '../helpers/server.js';
import { fuzz } from './grpc-fuzzer.js';

/** `make fuzz` sets FUZZ_SECONDS (default 60) and FUZZ_REPORT; `make test` runs a short pass. */
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 8);
const SEED = Number(process.env.FUZZ_SEED ?? 1);

describe('mutated requests of every RPC against a real server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await withDemoServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  it(
    `answers every mutation with a documented status and no leak, for ${SECONDS} s, and keeps serving`,
    async () => {
      const report = await fuzz({ port: server.app.port, seconds: SECONDS, seed: SEED });
      if (process.env.FUZZ_REPORT) {
        mkdirSync('bench/results', { recursive: true });
        writeFileSync(
          process.env.FUZZ_REPORT,
          `${JSON.stringify({ seconds: SECONDS, seed: SEED, ...report }, null, 2)}\n`,
        );
      }
      expect(report.findings).toEqual([]);
      expect(report.calls).toBeGreaterThan(SECONDS * 50);
      // Both kinds of answer happen, so the mutations reach the handlers and not only the decoder.
      const codes = Object.values(report.byMethod).flatMap((c) => Object.keys(c));
      expect(codes).toContain('OK');
      expect(codes).toContain('INVALID_ARGUMENT');

      const health = healthClient(server.app.port);
      const status = await new Promise<string>((resolve, reject) =>
        health.Check({ service: '' }, (err, res) => (err ? reject(err) : resolve(res.status))),
      );
      health.close();
      expect(status).toBe('SERVING');
      const next = await server.loyalty.unary('PredictChurn', { customers: [{ customerId: customerId(3) }] });
      expect(next.error).toBeNull();
    },
    SECONDS * 1_000 + 30_000,
  );
});
