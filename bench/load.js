// A gRPC load generator that sends a different request per call, which h2load cannot (it sends
// one fixed body): raw HTTP/2 from node:http2, no gRPC library, so its own cost stays small.
// It reads grpc-status from the trailers, so every call is verified. Its ceiling is measured
// against h2load on Health/Check by `node bench/run.js` before its figures are used.
import http2 from 'node:http2';

const { HTTP2_HEADER_METHOD, HTTP2_HEADER_PATH, HTTP2_HEADER_CONTENT_TYPE, HTTP2_HEADER_TE } =
  http2.constants;

/**
 * Drives `path` with framed gRPC bodies (`bodies[i % n]`, in a shuffled order fixed by the caller).
 * Closed loop: `concurrency` calls always outstanding. Open loop (`rate` calls/s): calls start on
 * schedule whatever the answers, at most `maxOutstanding` at once (beyond, a start is counted as
 * `skipped`, never queued in the tool, so the tool cannot hide the server's latency).
 * Latency percentiles are of calls answered OK; `codes` counts every grpc-status.
 */
export async function drive({
  port,
  path,
  bodies,
  seconds,
  warmupSeconds = 1,
  concurrency = 64,
  rate = 0,
  maxOutstanding = 4096,
  connections = 1,
  deadlineMs = 0,
  startAt = 0,
}) {
  const sessions = await Promise.all(
    Array.from({ length: connections }, () => connect(`http://127.0.0.1:${port}`)),
  );
  const headers = {
    [HTTP2_HEADER_METHOD]: 'POST',
    [HTTP2_HEADER_PATH]: path,
    [HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
    [HTTP2_HEADER_TE]: 'trailers',
  };
  if (deadlineMs > 0) headers['grpc-timeout'] = `${deadlineMs}m`;
  // Where in `bodies` to start: a caller driving several runs continues where the last stopped.
  let next = startAt;
  let outstanding = 0;
  let measuring = false;
  const latencies = [];
  const codes = {};
  let skipped = 0;

  const one = () =>
    new Promise((resolve) => {
      const body = bodies[next++ % bodies.length];
      const session = sessions[next % sessions.length];
      const started = performance.now();
      const stream = session.request(headers, { endStream: false });
      let status = null;
      stream.on('response', (h) => {
        if (h['grpc-status'] !== undefined) status = Number(h['grpc-status']);
      });
      stream.on('trailers', (t) => {
        status = Number(t['grpc-status']);
      });
      stream.on('data', () => {});
      const finish = () => {
        if (measuring) {
          const code = status ?? -1;
          codes[code] = (codes[code] ?? 0) + 1;
          if (code === 0) latencies.push(performance.now() - started);
        }
        resolve();
      };
      stream.on('close', finish);
      stream.on('error', () => {});
      stream.end(body);
    });

  const startedAt = performance.now();
  setTimeout(() => {
    measuring = true;
  }, warmupSeconds * 1000);
  const measuredFrom = () => startedAt + warmupSeconds * 1000;
  const endAt = startedAt + (warmupSeconds + seconds) * 1000;

  if (rate > 0) {
    const interval = 1000 / rate;
    await new Promise((resolve) => {
      let due = performance.now();
      const tick = () => {
        const now = performance.now();
        if (now >= endAt) return resolve();
        while (due <= now) {
          due += interval;
          if (outstanding >= maxOutstanding) {
            if (measuring) skipped++;
            continue;
          }
          outstanding++;
          one().then(() => {
            outstanding--;
          });
        }
        setTimeout(tick, 1);
      };
      tick();
    });
  } else {
    const loop = async () => {
      while (performance.now() < endAt) await one();
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
  }
  while (outstanding > 0) await new Promise((r) => setTimeout(r, 5));
  const measuredSeconds = (endAt - measuredFrom()) / 1000;
  for (const s of sessions) s.close();
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies.length
      ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]
      : Number.NaN;
  const requests = Object.values(codes).reduce((a, b) => a + b, 0);
  const ok = codes[0] ?? 0;
  return {
    requests,
    succeeded: ok,
    errors: requests - ok,
    codes,
    skipped,
    /** Index of the next body, for a following run's startAt. */
    nextIndex: next,
    seconds: measuredSeconds,
    rps: requests / measuredSeconds,
    okPerSecond: ok / measuredSeconds,
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
  };
}

function connect(authority) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(authority, { settings: { initialWindowSize: 1 << 20 } });
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}
