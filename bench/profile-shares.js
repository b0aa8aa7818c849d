// Where a server's main thread spends its busy time, from a V8 CPU profile (node --cpu-prof):
// self time by owner (the project's code, grpc-js and Node's HTTP/2, OpenTelemetry, garbage
// collection, other), as shares of the busy time (idle and "(program)" left out), and the
// project's heaviest functions. Usage: node bench/profile-shares.js FILE.cpuprofile [--top 15]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({
  options: { top: { type: 'string', default: '15' } },
  allowPositionals: true,
});
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));

/** The owner of a function, by its script's URL. */
function ownerOf(frame) {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'program';
  if (url.includes('/@grpc/') || url.startsWith('node:internal/http2') || url.startsWith('node:http2'))
    return 'grpc-js + HTTP/2';
  if (url.includes('/@opentelemetry/')) return 'OpenTelemetry';
  if (url.includes('/node_modules/')) return 'other packages';
  if (url.includes('/dist/') || url.includes('/src/')) return 'project';
  if (url.startsWith('node:')) return 'Node (other)';
  return url ? 'other' : 'native / V8';
}

// Self time per node: samples x the interval that follows each.
const selfMs = new Map();
const deltas = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfMs.set(id, (selfMs.get(id) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
}
const byOwner = new Map();
const byFunction = new Map();
for (const node of profile.nodes) {
  const ms = selfMs.get(node.id) ?? 0;
  if (!ms) continue;
  const owner = ownerOf(node.callFrame);
  byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
  if (owner !== 'idle' && owner !== 'program') {
    const file = node.callFrame.url.replace(/^.*\/(dist|src|node_modules)\//, '');
    const key = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(`${owner}\t${key}`, (byFunction.get(`${owner}\t${key}`) ?? 0) + ms);
  }
}
const busy = [...byOwner].filter(([o]) => o !== 'idle' && o !== 'program').reduce((s, [, ms]) => s + ms, 0);
const pct = (ms) => `${((100 * ms) / busy).toFixed(1)}%`;
console.log(
  `busy ${(busy / 1000).toFixed(1)} s of ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s profiled`,
);
console.log('| owner | self time, share of busy |\n|---|---|');
for (const [owner, ms] of [...byOwner].sort((a, b) => b[1] - a[1]))
  if (owner !== 'idle' && owner !== 'program') console.log(`| ${owner} | ${pct(ms)} |`);
for (const owner of ['project', 'Node (other)', 'grpc-js + HTTP/2', 'native / V8']) {
  console.log(`\n${owner}: the heaviest functions (self time, share of busy)`);
  const mine = [...byFunction].filter(([k]) => k.startsWith(`${owner}\t`));
  for (const [fn, ms] of mine.sort((a, b) => b[1] - a[1]).slice(0, Number(args.top)))
    console.log(`  ${pct(ms).padStart(6)}  ${fn.split('\t')[1]}`);
}
