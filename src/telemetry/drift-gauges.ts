import type { Meter } from '@opentelemetry/api';

/** What the drift gauges read at each scrape (drift/drift-monitor.ts's reports). */
export interface DriftReports {
  report(): readonly {
    model: string;
    version: string;
    /** Input names, in the order of `inputs`. */
    names: readonly string[];
    inputs: readonly number[];
    output: number;
    rows: number;
  }[];
}

/**
 * The drift gauges. One report per scrape feeds the three instruments: the batch callback sees
 * them together. Inputs are labelled by name (bounded: the loaded manifests' inputs).
 */
export function observeDrift(m: Meter, drift: DriftReports): void {
  const inputPsi = m.createObservableGauge('loyalty.drift.input.psi', {
    description:
      'Population stability index of each model input over the drift window against its training reference (> 0.2: shifted)',
  });
  const outputPsi = m.createObservableGauge('loyalty.drift.output.psi', {
    description:
      'Population stability index of the served output (probability, value, or top label) against its training reference',
  });
  const windowRows = m.createObservableGauge('loyalty.drift.window.rows', {
    description: 'Served rows in the drift window of each model version',
  });
  m.addBatchObservableCallback(
    (o) => {
      for (const d of drift.report()) {
        const base = { model: d.model, model_version: d.version };
        d.inputs.forEach((psi, i) => {
          o.observe(inputPsi, psi, { ...base, input: d.names[i]! });
        });
        o.observe(outputPsi, d.output, base);
        o.observe(windowRows, d.rows, base);
      }
    },
    [inputPsi, outputPsi, windowRows],
  );
}
