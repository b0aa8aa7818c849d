import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `text()` at /metrics for Prometheus; port 0 picks a free one. The text comes from this
 * process's meters, or from every server process when a supervisor runs several.
 */
export async function startMetricsEndpoint(
  host: string,
  port: number,
  text: () => Promise<string>,
): Promise<MetricsEndpoint> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics' && !req.url?.startsWith('/metrics?')) {
      res.statusCode = 404;
      res.end('not found: metrics are at /metrics\n');
      return;
    }
    text().then(
      (body) => {
        res.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8');
        res.end(body);
      },
      (err: unknown) => {
        res.statusCode = 500;
        res.end(`# failed to collect metrics: ${err instanceof Error ? err.message : String(err)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
