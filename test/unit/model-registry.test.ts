import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoyaltyError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { ModelRegistry } from '../../src/models/model-registry.js';
import { FakeHost, MODELS_DIR } from '../fakes/served-models.js';

/** The registry over real model folders and a fake host: no worker threads, no dist/. */
let dir: string;
let host: FakeHost;
let registry: ModelRegistry;

const copyVersion = (name: string, version: string) => {
  cpSync(join(MODELS_DIR, name, '1'), join(dir, name, version), { recursive: true });
  const path = join(dir, name, version, 'manifest.json');
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), version }));
};
const policy = (models: unknown) =>
  writeFileSync(join(dir, 'serving-policy.json'), JSON.stringify({ models }));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loyalty-registry-'));
  host = new FakeHost();
  registry = new ModelRegistry(host, { dir, overrides: {} }, createLogger('silent'));
});

afterEach(() => {
  registry.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the model registry', () => {
  it('loads every version into the host and serves the highest', async () => {
    copyVersion('churn', '1');
    copyVersion('churn', '2');
    copyVersion('nbo', '1');
    await registry.scan();
    expect(registry.list().map((m) => [m.name, m.serving.version, m.versions])).toEqual([
      ['churn', '2', ['1', '2']],
      ['nbo', '1', ['1']],
    ]);
    expect(host.held.size).toBe(3);
    expect(registry.resolve('churn', '1').version).toBe('1');
    expect(registry.stats).toMatchObject({ loads: 3, rejections: 0, workerModels: { 1: 3 } });
  });

  it('answers NOT_FOUND naming what is loaded', async () => {
    copyVersion('churn', '1');
    await registry.scan();
    const err = (() => {
      try {
        registry.route('nope');
      } catch (e) {
        return e as LoyaltyError;
      }
    })();
    expect(err?.code).toBe(5);
    expect(err?.message).toMatch(/model nope is not loaded; loaded: churn \(1\)/);
  });

  it('routes by the policy: a labelled default, a canary share and a shadow', async () => {
    for (const v of ['1', '2', '3']) copyVersion('churn', v);
    policy({
      churn: {
        labels: { stable: '1' },
        default: 'stable',
        canary: { version: '2', percent: 25 },
        shadow: '3',
      },
    });
    await registry.scan();
    const route = registry.route('churn');
    expect(route.primary.version).toBe('1');
    expect(route.canary).toMatchObject({ model: { version: '2' }, buckets: 2_500 });
    expect(route.shadow?.version).toBe('3');
    expect(registry.list()[0]).toMatchObject({ canary: { version: '2', percent: 25 }, shadow: '3' });
    // A call that names a version (or a label) gets it alone.
    expect(registry.route('churn', 'stable')).toMatchObject({ canary: undefined, shadow: undefined });
    expect(registry.route('churn', '3').primary.version).toBe('3');
  });

  it('refuses a corrupt folder with its reason and keeps serving the version before it', async () => {
    copyVersion('churn', '1');
    await registry.scan();
    copyVersion('churn', '2');
    writeFileSync(join(dir, 'churn', '2', 'model.tflite'), 'not a model');
    await registry.scan();
    expect(registry.resolve('churn').version).toBe('1');
    expect(registry.refusedVersions()).toEqual([
      { name: 'churn', version: '2', reason: expect.stringMatching(/tflite|model/i) },
    ]);
    // The same files are not tried again; fixed files load.
    await registry.scan();
    expect(registry.stats.rejections).toBe(1);
    cpSync(join(MODELS_DIR, 'churn', '1', 'model.tflite'), join(dir, 'churn', '2', 'model.tflite'));
    utimesSync(join(dir, 'churn', '2', 'model.tflite'), new Date(), new Date(Date.now() + 5_000));
    await registry.scan();
    expect(registry.resolve('churn').version).toBe('2');
    expect(registry.refusedVersions()).toEqual([]);
  });

  it('keeps a good version in "latest 1" when the newest is corrupt', async () => {
    copyVersion('churn', '1');
    copyVersion('churn', '2');
    writeFileSync(join(dir, 'churn', '2', 'manifest.json'), '{');
    policy({ churn: { versions: { latest: 1 } } });
    await registry.scan();
    expect(registry.list()[0]).toMatchObject({ serving: { version: '1' }, versions: ['1'] });
  });

  it('unloads a version that left the folder or the policy, from the host too', async () => {
    copyVersion('churn', '1');
    copyVersion('churn', '2');
    await registry.scan();
    policy({ churn: { versions: { specific: ['2'] } } });
    await registry.scan();
    expect(registry.list()[0]!.versions).toEqual(['2']);
    expect(host.tasks.filter((t) => t.startsWith('unload'))).toEqual([
      `unload churn@1#${keyHash(host, '1')}`,
    ]);
    rmSync(join(dir, 'churn'), { recursive: true });
    await registry.scan();
    expect(registry.list()).toEqual([]);
    expect(host.held.size).toBe(0);
    expect(registry.stats.unloads).toBe(2);
  });

  it('writes a policy change through the file, and refuses an invalid one or a __proto__ name', async () => {
    copyVersion('churn', '1');
    copyVersion('churn', '2');
    await registry.scan();
    await registry.updatePolicy('churn', { default: '1' });
    expect(registry.resolve('churn').version).toBe('1');
    expect(JSON.parse(readFileSync(join(dir, 'serving-policy.json'), 'utf8'))).toEqual({
      models: { churn: { labels: {}, default: '1' } },
    });
    for (const [name, entry] of [
      ['churn', { canary: { version: '2', percent: 150 } }],
      ['__proto__', { default: '2' }],
    ] as const) {
      await expect(registry.updatePolicy(name, entry)).rejects.toMatchObject({ code: 3 });
    }
    expect(registry.resolve('churn').version).toBe('1');
    await registry.updatePolicy('churn', undefined);
    expect(registry.resolve('churn').version).toBe('2');
  });

  it('loads every served version into a worker that replaced a failed one', async () => {
    copyVersion('churn', '1');
    copyVersion('nbo', '1');
    await registry.scan();
    await host.replaceWorker();
    expect(host.held.size).toBe(2);
  });
});

/** The hash part of a version's worker key, as the host recorded its load. */
function keyHash(host: FakeHost, version: string): string {
  const load = host.tasks.find((t) => t.startsWith(`load churn@${version}#`))!;
  return load.split('#')[1]!;
}
