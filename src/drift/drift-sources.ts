import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ModelManifest, parseManifest } from '../models/manifest.js';
import { readLogRecords } from '../prediction-log/log-files.js';
import type { ModelDrift } from './drift-monitor.js';
import { DriftWindow } from './drift-window.js';

/** A model version's drift as a report shows it: from a server (per process) or from a log. */
export interface DriftEntry extends ModelDrift {
  /** The server process, when the metrics came from several (LOYALTY_PROCESSES). */
  process?: string;
}

const SAMPLE = /^(loyalty_drift_(?:input_psi|output_psi|window_rows))\{([^}]*)\}\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** The drift gauges of a server's Prometheus exposition, one entry per model version (and process). */
export function driftFromMetrics(text: string): DriftEntry[] {
  const entries = new Map<string, DriftEntry & { inputByName: Map<string, number> }>();
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels = new Map([...match[2]!.matchAll(LABEL)].map((l) => [l[1]!, l[2]!] as const));
    const model = labels.get('model');
    const version = labels.get('model_version');
    if (!model || !version) continue;
    const process = labels.get('process');
    const key = `${model}\u0000${version}\u0000${process ?? ''}`;
    let entry = entries.get(key);
    if (!entry) {
      entry = { model, version, process, names: [], inputs: [], output: 0, rows: 0, inputByName: new Map() };
      entries.set(key, entry);
    }
    const value = Number(match[3]);
    if (match[1] === 'loyalty_drift_window_rows') entry.rows = value;
    else if (match[1] === 'loyalty_drift_output_psi') entry.output = value;
    else entry.inputByName.set(labels.get('input') ?? '?', value);
  }
  return [...entries.values()].map(({ inputByName, ...entry }) => ({
    ...entry,
    names: [...inputByName.keys()],
    inputs: [...inputByName.values()],
  }));
}

interface LogRecord {
  model: string;
  version: string;
  features: Record<string, number>;
  output: number[];
}

/**
 * The drift of the newest `windowRows` records of each model version in a prediction log's JSON
 * lines files (oldest file first), against the references of the manifests under `modelsDir`.
 * Memory is one window per version, whatever the log's size.
 */
export async function driftFromLog(
  dir: string,
  modelsDir: string,
  windowRows: number,
): Promise<DriftEntry[]> {
  const windows = new Map<string, { manifest: ModelManifest; window: DriftWindow } | null>();
  const windowOf = (model: string, version: string) => {
    const key = `${model}/${version}`;
    if (!windows.has(key)) {
      const path = join(modelsDir, model, version, 'manifest.json');
      const manifest = existsSync(path) ? parseManifest(JSON.parse(readFileSync(path, 'utf8'))) : undefined;
      const reference = manifest?.reference;
      windows.set(
        key,
        manifest && reference
          ? { manifest, window: new DriftWindow({ output: manifest.output, reference }, windowRows) }
          : null,
      );
    }
    return windows.get(key) ?? undefined;
  };
  for await (const raw of readLogRecords(dir)) {
    const record = raw as unknown as LogRecord;
    const found = windowOf(record.model, record.version);
    if (!found) continue;
    const x = Float32Array.from(found.manifest.inputs, (name) => record.features[name] ?? Number.NaN);
    found.window.add(1, x, Float32Array.from(record.output));
  }
  const entries: DriftEntry[] = [];
  for (const [key, found] of windows) {
    if (!found) continue;
    const [model, version] = key.split('/') as [string, string];
    entries.push({ model, version, names: found.manifest.inputs, ...found.window.psi() });
  }
  return entries;
}
