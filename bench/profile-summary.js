// Summarizes a V8 .cpuprofile (node --cpu-prof): where the main thread's time goes, by area
// and by function. Usage: node bench/profile-summary.js <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.js <file.cpuprofile> [top]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfTime = new Map();
// Sample i lasted timeDeltas[i + 1] microseconds (the last sample's length is unknown).
for (let i = 0; i < profile.samples.length - 1; i++) {
  const id = profile.samples[i];
  selfTime.set(id, (selfTime.get(id) ?? 0) + profile.timeDeltas[i + 1]);
}

function area(url, name) {
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(program)') return 'V8/native (program)';
  if (url.includes('/@grpc/grpc-js/')) return 'grpc-js';
  if (url.includes('/protobufjs/') || url.includes('/@protobufjs/')) return 'protobufjs (encode/decode)';
  if (url.includes('/piscina/')) return 'piscina';
  if (url.includes('/@opentelemetry/')) return 'opentelemetry';
  if (url.includes('/lru-cache/')) return 'lru-cache';
  if (url.includes('/pino')) return 'pino';
  if (url.includes('/dist/') || url.includes('/src/')) return 'loyalty-inference';
  if (url.startsWith('node:') || url === '') return 'node internals (http2, streams, timers)';
  return 'other modules';
}

const areas = new Map();
const functions = new Map();
let total = 0;
for (const [id, us] of selfTime) {
  const node = byId.get(id);
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  const a = area(url, name);
  areas.set(a, (areas.get(a) ?? 0) + us);
  const key = `${name} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|src)\//, '$1/')}:${lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
  total += us;
}
const busy = total - (areas.get('idle') ?? 0);
const pct = (us, of) => `${((100 * us) / of).toFixed(1)}%`;
process.stdout.write(
  `profile: ${(total / 1e6).toFixed(2)} s sampled, ${pct(busy, total)} busy\n\nby area (share of busy time):\n`,
);
for (const [a, us] of [...areas].filter(([a]) => a !== 'idle').sort((x, y) => y[1] - x[1])) {
  process.stdout.write(`  ${a.padEnd(42)} ${pct(us, busy).padStart(6)}\n`);
}
process.stdout.write(`\ntop functions (self time, share of busy time):\n`);
for (const [f, us] of [...functions]
  .filter(([f]) => !f.startsWith('(idle)'))
  .sort((x, y) => y[1] - x[1])
  .slice(0, Number(topArg ?? 15))) {
  process.stdout.write(`  ${pct(us, busy).padStart(6)}  ${f}\n`);
}
