import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('starts on the embedded store with documented defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.grpc).toEqual({ host: '0.0.0.0', port: 50051, healthPort: undefined, maxConnectionAgeMs: 0 });
    expect(c.store).toEqual({
      kind: 'sqlite',
      path: 'data/loyalty-demo.sqlite',
      demoCustomers: 100_000,
      demoSeed: 42,
    });
    expect(c.limits.maxBatchSize).toBe(1_000);
  });

  it('uses MySQL when its URL is set', () => {
    const c = loadConfig({
      LOYALTY_MYSQL_URL: 'mysql://root@127.0.0.1:3306/loyalty',
      LOYALTY_MYSQL_POOL_SIZE: '4',
    });
    expect(c.store).toMatchObject({ kind: 'mysql', url: 'mysql://root@127.0.0.1:3306/loyalty', poolSize: 4 });
  });

  it('runs one process unless LOYALTY_PROCESSES asks for more; auto is one per core', () => {
    expect(loadConfig({}).processes).toBe(1);
    expect(loadConfig({ LOYALTY_PROCESSES: '3' }).processes).toBe(3);
    expect(loadConfig({ LOYALTY_PROCESSES: 'auto' }).processes).toBe(availableParallelism());
    // Workers per process share the cores left after the processes' main threads.
    const cores = availableParallelism();
    expect(loadConfig({}).inference.workers).toBe(Math.max(1, cores - 1));
    expect(loadConfig({ LOYALTY_PROCESSES: 'auto' }).inference.workers).toBe(1);
    expect(loadConfig({ LOYALTY_PROCESSES: 'auto', LOYALTY_WORKERS: '3' }).inference.workers).toBe(3);
    for (const bad of ['0', '257', 'all', '1.5'])
      expect(() => loadConfig({ LOYALTY_PROCESSES: bad })).toThrow(/LOYALTY_PROCESSES/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ LOYALTY_GRPC_PORT: '' }).grpc.port).toBe(50051);
  });

  it('names every invalid variable at once', () => {
    expect(() =>
      loadConfig({
        LOYALTY_GRPC_PORT: '70000',
        LOYALTY_MAX_BATCH_SIZE: 'many',
        LOYALTY_MYSQL_URL: 'postgres://x',
      }),
    ).toThrow(ConfigError);
    try {
      loadConfig({
        LOYALTY_GRPC_PORT: '70000',
        LOYALTY_MAX_BATCH_SIZE: 'many',
        LOYALTY_MYSQL_URL: 'postgres://x',
      });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/LOYALTY_GRPC_PORT/);
      expect(message).toMatch(/LOYALTY_MAX_BATCH_SIZE/);
      expect(message).toMatch(/LOYALTY_MYSQL_URL: must start with mysql:\/\//);
    }
  });
});
