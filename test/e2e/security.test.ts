import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { type LoyaltyClient, typedLoyaltyClient, typedModelClient } from '../helpers/client.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import { healthClient, inSeconds, startTestServer } from '../helpers/server.js';

/**
 * TLS, mTLS and caller authorization on a real server, with certificates made by openssl for the
 * test: two CAs (the trusted one and another), a server certificate for 127.0.0.1, and client
 * certificates for callers of the policy.
 */
const dir = mkdtempSync(join(tmpdir(), 'loyalty-security-'));
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

function makeCa(name: string): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
  );
}

function makeCert(name: string, ca: string, extension: string): void {
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
  );
  writeFileSync(file(`${name}.ext`), extension);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  );
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const CALLS = {
  score: 'loyalty.v1.LoyaltyService/ScoreCustomers',
};

let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
let app: Awaited<ReturnType<typeof startTestServer>>;
const clients: { close(): void }[] = [];

function tlsClient(opts: { ca?: string; cert?: string; token?: string } = {}): LoyaltyClient {
  const ssl = grpc.credentials.createSsl(
    readFileSync(file(`${opts.ca ?? 'ca'}.pem`)),
    opts.cert ? readFileSync(file(`${opts.cert}.key`)) : null,
    opts.cert ? readFileSync(file(`${opts.cert}.pem`)) : null,
  );
  const credentials = opts.token
    ? grpc.credentials.combineChannelCredentials(
        ssl,
        grpc.credentials.createFromMetadataGenerator((_params, callback) => {
          const metadata = new grpc.Metadata();
          metadata.set('authorization', `Bearer ${opts.token}`);
          callback(null, metadata);
        }),
      )
    : ssl;
  const client = typedLoyaltyClient(app.port, { 'grpc.ssl_target_name_override': 'localhost' }, credentials);
  clients.push(client);
  return client;
}

const churn = (client: LoyaltyClient) =>
  client.unary('PredictChurn', { customers: [{ customerId: customerId(1) }] }, { deadline: inSeconds(5) });
const score = async (client: LoyaltyClient) =>
  (
    await client.stream(
      'ScoreCustomers',
      { kind: 'SCORE_KIND_RFM', chunkSize: 10_000 },
      { deadline: inSeconds(20) },
    )
  ).error;

beforeAll(async () => {
  makeCa('ca');
  makeCa('other-ca');
  makeCert('server', 'ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  for (const caller of ['campaign-tool', 'stranger']) makeCert(caller, 'ca', 'extendedKeyUsage=clientAuth\n');
  makeCert('intruder', 'other-ca', 'extendedKeyUsage=clientAuth\n');
  writeFileSync(
    file('tokens.json'),
    JSON.stringify({
      tokens: [
        { caller: 'crm', sha256: sha256('crm-secret-1') },
        { caller: 'ops', sha256: sha256('ops-secret-2') },
      ],
    }),
  );
  writeFileSync(
    file('policy.json'),
    JSON.stringify({
      callers: {
        'campaign-tool': { allow: [CALLS.score] },
        crm: { allow: ['loyalty.v1.LoyaltyService/*'] },
        ops: { allow: ['*'] },
      },
    }),
  );
  copyFileSync(file('server.pem'), file('served.pem'));
  copyFileSync(file('server.key'), file('served.key'));
  // A copy of the models: the admin test writes a serving policy beside them.
  cpSync(new URL('../../models/', import.meta.url).pathname, file('models'), { recursive: true });
  rmSync(file('models/serving-policy.json'), { force: true });
  demo = await buildTestSqliteStore();
  app = await startTestServer({
    LOYALTY_SQLITE_PATH: demo.path,
    LOYALTY_MODELS_DIR: file('models'),
    LOYALTY_TLS_CERT: file('served.pem'),
    LOYALTY_TLS_KEY: file('served.key'),
    LOYALTY_TLS_CLIENT_CA: file('ca.pem'),
    LOYALTY_TLS_REFRESH_MS: '200',
    LOYALTY_AUTH_TOKENS: file('tokens.json'),
    LOYALTY_AUTH_POLICY: file('policy.json'),
    LOYALTY_HEALTH_PORT: '0',
  });
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await app?.stop();
  demo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('mTLS and caller authorization', () => {
  it('gives each caller exactly its allowed methods', async () => {
    const campaignTool = tlsClient({ cert: 'campaign-tool' });
    expect(await score(campaignTool)).toBeNull();
    expect((await churn(campaignTool)).error?.code).toBe(grpc.status.PERMISSION_DENIED);

    // Tokens ride on an mTLS connection here (mTLS is required); the token names the caller.
    const crm = tlsClient({ cert: 'stranger', token: 'crm-secret-1' });
    expect((await churn(crm)).error).toBeNull();
    expect(await score(crm)).toBeNull();
    const crmModels = typedModelClient(
      app.port,
      { 'grpc.ssl_target_name_override': 'localhost' },
      grpc.credentials.combineChannelCredentials(
        grpc.credentials.createSsl(
          readFileSync(file('ca.pem')),
          readFileSync(file('stranger.key')),
          readFileSync(file('stranger.pem')),
        ),
        grpc.credentials.createFromMetadataGenerator((_p, cb) => {
          const m = new grpc.Metadata();
          m.set('authorization', 'Bearer crm-secret-1');
          cb(null, m);
        }),
      ),
    );
    clients.push(crmModels);
    expect((await crmModels.unary('ListModels', {})).error?.code).toBe(grpc.status.PERMISSION_DENIED);

    const ops = tlsClient({ cert: 'stranger', token: 'ops-secret-2' });
    expect((await churn(ops)).error).toBeNull();

    // A trusted certificate whose name the policy does not list: known, not allowed.
    const stranger = tlsClient({ cert: 'stranger' });
    const denied = await churn(stranger);
    expect(denied.error?.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(denied.error?.details).toMatch(
      /caller stranger may not call loyalty\.v1\.LoyaltyService\/PredictChurn/,
    );

    const badToken = tlsClient({ cert: 'stranger', token: 'guess' });
    const unauthenticated = await churn(badToken);
    expect(unauthenticated.error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(unauthenticated.error?.details).not.toContain('guess');

    // Metrics name the caller, from the policy's callers only: "none" for the refused ones.
    const text = await (await fetch(`http://127.0.0.1:${app.metricsPort}/metrics`)).text();
    const callers = new Set(
      [...text.matchAll(/^loyalty_rpc_duration_seconds_count\{[^}]*caller="([^"]*)"/gm)].map((m) => m[1]),
    );
    expect(callers.has('campaign-tool')).toBe(true);
    expect(callers.has('crm')).toBe(true);
    expect(callers.has('none')).toBe(true);
    expect([...callers].filter((c) => !['campaign-tool', 'crm', 'ops', 'none'].includes(c!))).toEqual([]);
  });

  it('refuses plaintext, a client without a certificate and a certificate of another CA', async () => {
    const plaintext = typedLoyaltyClient(app.port);
    clients.push(plaintext);
    expect((await churn(plaintext)).error?.code).toBe(grpc.status.UNAVAILABLE);
    const noCert = tlsClient({});
    expect((await churn(noCert)).error?.code).toBe(grpc.status.UNAVAILABLE);
    const intruder = tlsClient({ cert: 'intruder' });
    expect((await churn(intruder)).error?.code).toBe(grpc.status.UNAVAILABLE);
  });

  it('keeps health open to any client with a certificate, and serves a rotated certificate without a restart', async () => {
    const ssl = grpc.credentials.createSsl(
      readFileSync(file('ca.pem')),
      readFileSync(file('stranger.key')),
      readFileSync(file('stranger.pem')),
    );
    const health = healthClient(app.port, ssl, { 'grpc.ssl_target_name_override': 'localhost' });
    const status = await new Promise<string>((resolve, reject) =>
      health.Check({ service: '' }, (err, res) => (err ? reject(err) : resolve(res.status))),
    );
    expect(status).toBe('SERVING');
    health.close();

    // A new certificate from another CA replaces the served one: new connections see it.
    makeCert('rotated', 'other-ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    copyFileSync(file('rotated.key'), file('served.key.next'));
    copyFileSync(file('rotated.pem'), file('served.pem.next'));
    // Key and certificate change together as far as a reader can tell.
    execFileSync('mv', [file('served.pem.next'), file('served.pem')]);
    execFileSync('mv', [file('served.key.next'), file('served.key')]);
    const trustsNew = () => tlsClient({ ca: 'other-ca', cert: 'campaign-tool' });
    let answered = false;
    const deadline = Date.now() + 10_000;
    while (!answered && Date.now() < deadline) {
      answered = (await score(trustsNew())) === null;
      if (!answered) await new Promise((r) => setTimeout(r, 200));
    }
    expect(answered).toBe(true);
    // A client that trusts only the old CA no longer connects.
    expect(await score(tlsClient({ cert: 'campaign-tool' }))).not.toBeNull();
  });

  it('answers plaintext health probes on the health port, and nothing else there', async () => {
    const health = healthClient(app.healthPort!);
    const status = await new Promise<string>((resolve, reject) =>
      health.Check({ service: 'loyalty.v1.LoyaltyService' }, (err, res) =>
        err ? reject(err) : resolve(res.status),
      ),
    );
    expect(status).toBe('SERVING');
    health.close();
    const plaintext = typedLoyaltyClient(app.healthPort!);
    clients.push(plaintext);
    expect((await churn(plaintext)).error?.code).toBe(grpc.status.UNIMPLEMENTED);
  });

  it('serves the HTTP port over TLS with client certificates, rotated with the gRPC port, under the same policy', async () => {
    // The served certificate is now the rotated one (the test above), signed by other-ca.
    const request = (
      path: string,
      opts: { method?: string; token?: string; trust?: string; body?: string } = {},
    ) =>
      new Promise<number>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port: app.httpPort,
            path,
            method: opts.method ?? 'GET',
            servername: 'localhost',
            ca: readFileSync(file(`${opts.trust ?? 'other-ca'}.pem`)),
            cert: readFileSync(file('stranger.pem')),
            key: readFileSync(file('stranger.key')),
            headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
          },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end(opts.body);
      });
    let live: number | undefined;
    const deadline = Date.now() + 5_000;
    while (live !== 200 && Date.now() < deadline) {
      live = await request('/v2/health/live').catch(() => undefined);
      if (live !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(live).toBe(200);
    // The old certificate is gone from the HTTP port too; plaintext is refused.
    await expect(request('/v2/health/live', { trust: 'ca' })).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${app.httpPort}/v2/health/live`)).rejects.toThrow();

    const put = (token?: string) =>
      request('/admin/v1/serving-policy/models/churn', {
        method: 'PUT',
        token,
        body: JSON.stringify({ labels: { stable: '1' }, default: 'stable' }),
      });
    // The certificate names "stranger", whom the policy does not list.
    expect(await put()).toBe(403);
    expect(await put('unknown-token')).toBe(401);
    expect(await put('crm-secret-1')).toBe(403);
    expect(await put('ops-secret-2')).toBe(200);
    expect(await request('/v2/models/churn', { token: 'crm-secret-1' })).toBe(403);
    expect(await request('/v2/models/churn', { token: 'ops-secret-2' })).toBe(200);
    // Reading the policy (models, versions, canary, shadow) is authorized like every route.
    expect(await request('/admin/v1/serving-policy')).toBe(403);
    expect(await request('/admin/v1/serving-policy', { token: 'unknown-token' })).toBe(401);
    expect(await request('/admin/v1/serving-policy', { token: 'crm-secret-1' })).toBe(403);
    expect(await request('/admin/v1/serving-policy', { token: 'ops-secret-2' })).toBe(200);
  });
});

describe('the metrics endpoint', () => {
  it('listens on loopback only by default', async () => {
    expect((await fetch(`http://127.0.0.1:${app.metricsPort}/metrics`)).status).toBe(200);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    expect(external).toBeDefined();
    await expect(fetch(`http://${external!.address}:${app.metricsPort}/metrics`)).rejects.toThrow();
  });
});

describe('bad security configuration', () => {
  const serve = (env: Record<string, string>) =>
    spawnSync(process.execPath, [new URL('../../dist/cli/serve.js', import.meta.url).pathname], {
      env: {
        PATH: process.env.PATH,
        LOYALTY_LOG_LEVEL: 'silent',
        LOYALTY_SQLITE_PATH: join(dir, 'never.sqlite'),
        ...env,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('refuses to start with exit code 2, naming the variable and the problem, never the secret', async () => {
    const missing = serve({ LOYALTY_TLS_CERT: file('nope.pem'), LOYALTY_TLS_KEY: file('server.key') });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/LOYALTY_TLS_CERT: cannot read .*nope\.pem \(ENOENT\)/);

    const mismatched = serve({ LOYALTY_TLS_CERT: file('server.pem'), LOYALTY_TLS_KEY: file('stranger.key') });
    expect(mismatched.status).toBe(2);
    expect(mismatched.stderr).toMatch(/LOYALTY_TLS_KEY: the key does not match LOYALTY_TLS_CERT/);
    expect(mismatched.stderr).not.toContain('PRIVATE KEY');

    writeFileSync(
      file('bad-tokens.json'),
      JSON.stringify({ tokens: [{ caller: 'x', sha256: 'my-plain-secret' }] }),
    );
    const badTokens = serve({
      LOYALTY_AUTH_TOKENS: file('bad-tokens.json'),
      LOYALTY_AUTH_POLICY: file('policy.json'),
    });
    expect(badTokens.status).toBe(2);
    expect(badTokens.stderr).toMatch(/LOYALTY_AUTH_TOKENS: tokens\.0\.sha256: a SHA-256 in hex/);
    expect(badTokens.stderr).not.toContain('my-plain-secret');

    writeFileSync(file('bad-policy.json'), '{"callers": {"ops": {"allow": ["delete everything"]}}}');
    const badPolicy = serve({ LOYALTY_AUTH_POLICY: file('bad-policy.json') });
    expect(badPolicy.status).toBe(2);
    expect(badPolicy.stderr).toMatch(/LOYALTY_AUTH_POLICY: callers\.ops\.allow\.0/);

    const halfTls = serve({ LOYALTY_TLS_CERT: file('server.pem') });
    expect(halfTls.status).toBe(2);
    expect(halfTls.stderr).toMatch(/LOYALTY_TLS_CERT and LOYALTY_TLS_KEY go together/);
  });
});
