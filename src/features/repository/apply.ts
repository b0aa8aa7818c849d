import { columnSql, createTableSql } from '../sql/schema.js';
import { type SqlBackend, tableExists } from '../sql/sql-backend.js';
import type { FeatureRepository } from './repository-schema.js';
import {
  definitionOf,
  ensureRegistry,
  featureColumn,
  type RegisteredView,
  readRegistry,
  sqlNow,
  viewTable,
  viewTableSpec,
  writeRegistryRow,
} from './view-tables.js';

/** What `apply` did to one view. */
export interface ViewChange {
  view: string;
  action: 'created' | 'added features' | 'updated definition' | 'unchanged' | 'not declared (kept)';
  /** Features given a column by this apply. */
  added: string[];
}

/**
 * Makes the online store match the repository, doing only what it needs: a new view gets its
 * table; new features of a known view are added as columns (its rows and the other views are left
 * as they are); a changed definition is recorded for the next materialization. Views no longer
 * declared keep their tables and rows (and keep serving) until someone drops them.
 */
export async function applyRepository(
  backend: SqlBackend,
  repository: FeatureRepository,
): Promise<ViewChange[]> {
  await ensureRegistry(backend);
  const registered = await readRegistry(backend);
  const changes: ViewChange[] = [];
  for (const view of repository.views) {
    const table = viewTable(view.name);
    const definition = definitionOf(view);
    const known = registered.get(view.name);
    if (!known || !(await tableExists(backend, table))) {
      const features = view.features.map((f) => f.name);
      for (const sql of createTableSql(viewTableSpec(table, features), backend.dialect))
        await backend.execute(sql);
      await writeRegistryRow(backend, {
        name: view.name,
        definition,
        tableFeatures: features,
        appliedAt: sqlNow(),
        materializedAt: undefined,
        valuesAsOf: undefined,
        rows: undefined,
        materializedFeatures: [],
      });
      changes.push({ view: view.name, action: 'created', added: features });
      continue;
    }
    const added = view.features.map((f) => f.name).filter((f) => !known.tableFeatures.includes(f));
    const spec = viewTableSpec(table, added);
    for (const f of added)
      await backend.execute(
        `ALTER TABLE ${table} ADD COLUMN ${columnSql(spec, featureColumn(f), backend.dialect)}`,
      );
    const changed = JSON.stringify(known.definition) !== JSON.stringify(definition);
    if (added.length > 0 || changed) {
      const next: RegisteredView = {
        ...known,
        definition,
        tableFeatures: [...known.tableFeatures, ...added],
        appliedAt: sqlNow(),
      };
      await writeRegistryRow(backend, next);
    }
    changes.push({
      view: view.name,
      action: added.length > 0 ? 'added features' : changed ? 'updated definition' : 'unchanged',
      added,
    });
  }
  const declared = new Set(repository.views.map((v) => v.name));
  for (const name of registered.keys())
    if (!declared.has(name)) changes.push({ view: name, action: 'not declared (kept)', added: [] });
  return changes;
}
