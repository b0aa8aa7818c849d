import type { Meter } from '@opentelemetry/api';

/** What the feature view gauges read at each scrape: the registry a server last read. */
export interface ViewRegistryState {
  latest(): ReadonlyMap<string, { materializedAt: string | undefined; rows: number | undefined }> | undefined;
}

/** Each materialized view's age and rows, labelled by view (bounded: the registry's views). */
export function observeViews(m: Meter, views: ViewRegistryState): void {
  const eachMaterialized = (visit: (name: string, at: number, rows: number) => void) => {
    for (const [name, v] of views.latest() ?? [])
      if (v.materializedAt) visit(name, Date.parse(`${v.materializedAt.replace(' ', 'T')}Z`), v.rows ?? 0);
  };
  m.createObservableGauge('loyalty.feature.view.age.seconds', {
    description:
      "Seconds since each feature view's last materialization (as this server last read the registry)",
  }).addCallback((o) => eachMaterialized((view, at) => o.observe((Date.now() - at) / 1000, { view })));
  m.createObservableGauge('loyalty.feature.view.rows', {
    description: "Customers in each feature view's online table",
  }).addCallback((o) => eachMaterialized((view, _at, rows) => o.observe(rows, { view })));
}
