import type { App } from '../app.js';
import { isScrapeRequest, type ServerReport } from './messages.js';

const send = (report: ServerReport) => {
  if (process.connected) process.send?.(report);
};

/**
 * The server-process side of the supervisor: says where it serves once ready, answers metric
 * scrapes, and stops when the supervisor is gone (no orphan keeps the port).
 */
export function reportToSupervisor(app: App, stop: (reason: string) => void): void {
  process.on('message', (message: unknown) => {
    if (!isScrapeRequest(message)) return;
    const { id } = message;
    if (!app.metricsText) {
      send({ kind: 'loyalty.metrics-failed', id, message: 'metrics are off' });
      return;
    }
    app.metricsText().then(
      (text) => send({ kind: 'loyalty.metrics', id, text }),
      (err: unknown) =>
        send({
          kind: 'loyalty.metrics-failed',
          id,
          message: err instanceof Error ? err.message : String(err),
        }),
    );
  });
  process.on('disconnect', () => stop('supervisor gone'));
  send({ kind: 'loyalty.ready', port: app.port, httpPort: app.httpPort });
}
