import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { type App, startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openBackend } from '../../src/features/open-store.js';
import { createLogger } from '../../src/logger.js';
import { type LoyaltyClient, type ModelClient, typedLoyaltyClient, typedModelClient } from './client.js';
import { buildTestSqliteStore } from './demo.js';

/** A real server on a loopback port, configured as from the environment given. */
export async function startTestServer(env: Record<string, string>): Promise<App> {
  const config = loadConfig({
    LOYALTY_GRPC_HOST: '127.0.0.1',
    LOYALTY_GRPC_PORT: '0',
    LOYALTY_SHUTDOWN_GRACE_MS: '2000',
    LOYALTY_METRICS_PORT: '0',
    LOYALTY_HTTP_PORT: '0',
    ...env,
  });
  return startApp(config, openBackend(config.store), createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
}

export const inSeconds = (s: number) => Date.now() + s * 1000;

const require = createRequire(import.meta.url);

/** A grpc.health.v1 client, from the proto that grpc-health-check ships. */
export function healthClient(
  port: number,
  credentials = grpc.credentials.createInsecure(),
  options: grpc.ClientOptions = {},
) {
  const def = protoLoader.loadSync(healthProtoPath, { enums: String });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    grpc: {
      health: {
        v1: {
          Health: new (
            address: string,
            creds: grpc.ChannelCredentials,
            options: grpc.ClientOptions,
          ) => grpc.Client;
        };
      };
    };
  };
  return new pkg.grpc.health.v1.Health(`127.0.0.1:${port}`, credentials, options) as grpc.Client & {
    Check: (
      req: { service: string },
      cb: (err: grpc.ServiceError | null, res: { status: string }) => void,
    ) => void;
  };
}

/** The service names a server lists through grpc.reflection.v1 (as grpcurl would ask). */
export function listServicesByReflection(port: number): Promise<string[]> {
  const protoPath = join(
    dirname(require.resolve('@grpc/reflection')),
    '../proto/grpc/reflection/v1/reflection.proto',
  );
  const def = protoLoader.loadSync(protoPath, { keepCase: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    grpc: {
      reflection: {
        v1: { ServerReflection: new (address: string, creds: grpc.ChannelCredentials) => grpc.Client };
      };
    };
  };
  const client = new pkg.grpc.reflection.v1.ServerReflection(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  ) as grpc.Client & {
    ServerReflectionInfo: () => grpc.ClientDuplexStream<
      unknown,
      { list_services_response?: { service: { name: string }[] } }
    >;
  };
  return new Promise((resolve, reject) => {
    const stream = client.ServerReflectionInfo();
    stream.on('data', (msg: { list_services_response?: { service: { name: string }[] } }) => {
      resolve((msg.list_services_response?.service ?? []).map((s) => s.name));
      stream.end();
      client.close();
    });
    stream.on('error', reject);
    stream.write({ list_services: '' });
  });
}

export interface TestServer {
  app: App;
  loyalty: LoyaltyClient;
  models: ModelClient;
  /** Closes the clients and stops the server. */
  close(): Promise<void>;
}

/** A real server on a loopback port with typed clients of both services. */
export async function withTestServer(env: Record<string, string>): Promise<TestServer> {
  const app = await startTestServer(env);
  const loyalty = typedLoyaltyClient(app.port);
  const models = typedModelClient(app.port);
  return {
    app,
    loyalty,
    models,
    async close() {
      loyalty.close();
      models.close();
      await app.stop();
    },
  };
}

/** A server on a fresh embedded demo store of the tests' size; `close()` removes the store too. */
export async function withDemoServer(env: Record<string, string> = {}): Promise<TestServer> {
  const demo = await buildTestSqliteStore();
  try {
    const server = await withTestServer({ LOYALTY_SQLITE_PATH: demo.path, ...env });
    return {
      ...server,
      async close() {
        await server.close();
        demo.cleanup();
      },
    };
  } catch (err) {
    demo.cleanup();
    throw err;
  }
}
