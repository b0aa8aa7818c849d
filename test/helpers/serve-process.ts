import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const SERVE = new URL('../../dist/cli/serve.js', import.meta.url);

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  /** The Prometheus endpoint's port, unless metrics are off. */
  metricsPort: number | undefined;
  httpPort: number | undefined;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/**
 * Runs the built server as `make serve` does, on free loopback ports unless `env` says otherwise,
 * and waits for its "serving" log line (the supervisor's, with LOYALTY_PROCESSES > 1).
 */
export function serveProcess(env: Record<string, string>): Promise<ServeProcess> {
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
  const supervised = Number(env.LOYALTY_PROCESSES ?? 1) > 1;
  const servingLine = supervised
    ? /"processes":\d+,"httpPort":\d+,"port":(\d+),"msg":"serving"/
    : /"port":(\d+),"msg":"serving"/;
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const serving = servingLine.exec(out);
      if (!serving) return;
      const metrics = /"port":(\d+),"msg":"metrics at \/metrics"/.exec(out);
      const http = /"httpPort":(\d+)/.exec(out);
      resolve({
        child,
        port: Number(serving[1]),
        metricsPort: metrics ? Number(metrics[1]) : undefined,
        httpPort: http ? Number(http[1]) : undefined,
        stdout: () => out,
        stderr: () => err,
        exited,
      });
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}
