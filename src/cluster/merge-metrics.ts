/** One process's Prometheus text exposition, and the label value that names the process. */
export interface ProcessExposition {
  process: string;
  text: string;
}

interface Family {
  help: string | undefined;
  type: string | undefined;
  samples: string[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/**
 * Several processes' expositions as one: each metric family once (its HELP and TYPE from the
 * first process that has it), every sample labelled `process="..."` so that nothing is summed
 * here: counters and histograms add up in PromQL (`sum without (process)`), gauges such as memory
 * stay per process. Families keep their first-seen order, samples their process order.
 */
export function mergeExpositions(parts: readonly ProcessExposition[]): string {
  const families = new Map<string, Family>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) {
      f = { help: undefined, type: undefined, samples: [] };
      families.set(name, f);
    }
    return f;
  };
  for (const { process, text } of parts) {
    let current: { name: string; family: Family } | undefined;
    const label = `process="${escapeLabelValue(process)}"`;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (meta) {
        current = { name: meta[2]!, family: family(meta[2]!) };
        if (meta[1] === 'HELP') current.family.help ??= meta[3];
        else current.family.type ??= meta[3];
        continue;
      }
      if (line.startsWith('#')) continue;
      const name = NAME.exec(line)?.[0];
      if (!name) continue;
      // A sample that is not of the family announced last starts a family named after it.
      if (!current || !name.startsWith(current.name)) current = { name, family: family(name) };
      current.family.samples.push(withLabel(line, name.length, label));
    }
  }
  const out: string[] = [];
  for (const [name, f] of families) {
    if (f.help !== undefined) out.push(`# HELP ${name} ${f.help}`);
    if (f.type !== undefined) out.push(`# TYPE ${name} ${f.type}`);
    out.push(...f.samples);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** `name{a="b"} 1` -> `name{process="0",a="b"} 1`; `name 1` -> `name{process="0"} 1`. */
function withLabel(line: string, nameLength: number, label: string): string {
  const name = line.slice(0, nameLength);
  const rest = line.slice(nameLength);
  if (rest.startsWith('{}')) return `${name}{${label}}${rest.slice(2)}`;
  if (rest.startsWith('{')) return `${name}{${label},${rest.slice(1)}`;
  return `${name}{${label}}${rest}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
