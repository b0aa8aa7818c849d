import type { ServedModel } from '../models/served-model.js';
import { DriftWindow, type WindowPsi } from './drift-window.js';

export interface DriftOptions {
  /** Served rows each model version's window covers. */
  windowRows: number;
}

export interface ModelDrift extends WindowPsi {
  model: string;
  version: string;
  /** Input names, in the order of `inputs`. */
  names: readonly string[];
}

/**
 * Fewer rows than this give no PSI: with ten bins, n rows of an unchanged population already
 * read about 9 / n from sampling noise alone (0.009 at 1,000).
 */
export const MIN_DRIFT_ROWS = 1000;

/**
 * The owner of the drift windows: one per served model version whose manifest carries a
 * reference, fed with the rows the prediction core answers (not the shadow's copies), read at
 * each scrape. Windows of versions no longer loaded are dropped when read.
 */
export class DriftMonitor {
  private readonly windows = new Map<ServedModel, DriftWindow>();

  constructor(
    private readonly options: DriftOptions,
    private readonly loaded: () => ReadonlySet<ServedModel>,
  ) {}

  observe(model: ServedModel, rows: number, data: Float32Array, out: Float32Array): void {
    const reference = model.manifest.reference;
    if (!reference) return;
    let window = this.windows.get(model);
    if (!window) {
      window = new DriftWindow({ output: model.manifest.output, reference }, this.options.windowRows);
      this.windows.set(model, window);
    }
    window.add(rows, data, out);
  }

  /** The drift of every loaded version with enough rows (MIN_DRIFT_ROWS, or the window if smaller). */
  report(): ModelDrift[] {
    const loaded = this.loaded();
    const minRows = Math.min(MIN_DRIFT_ROWS, Math.floor(this.options.windowRows * 0.9));
    const drifts: ModelDrift[] = [];
    for (const [model, window] of this.windows) {
      if (!loaded.has(model)) {
        this.windows.delete(model);
        continue;
      }
      if (window.rows < minRows) continue;
      drifts.push({
        model: model.name,
        version: model.version,
        names: model.manifest.inputs,
        ...window.psi(),
      });
    }
    return drifts;
  }
}
