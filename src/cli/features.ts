import { loadConfig } from '../config.js';
import { openBackend } from '../features/open-store.js';
import { applyRepository } from '../features/repository/apply.js';
import { materializeView } from '../features/repository/materialize-view.js';
import { readRepository } from '../features/repository/repository-file.js';
import { readRegistry } from '../features/repository/view-tables.js';
import { parseFlags } from './args.js';

const USAGE = `usage: node dist/cli/features.js <apply | materialize [VIEW...] | list | describe VIEW>
  [--repository models/feature-repository.yaml] [--as-of 'YYYY-MM-DD[ HH:MM:SS]']
The feature repository's views in the feature store (LOYALTY_MYSQL_URL, else LOYALTY_SQLITE_PATH):
  apply        validate the repository file and create or alter only what it needs (a table per view,
               a column per new feature); the other views and their rows are left as they are
  materialize  fill the views' online tables (all, or those named) from their sources as of --as-of
               (default now, UTC): each customer's latest values, switched in one step
  list         every view in the store: rows, features, when materialized, values as of
  describe     one view: its definition and state, as JSON`;

async function main(): Promise<void> {
  const { values: f, positionals } = parseFlags(
    {
      repository: { type: 'string', default: 'models/feature-repository.yaml' },
      'as-of': { type: 'string' },
    },
    USAGE,
  );
  const [command, ...rest] = positionals;
  const asOf = f['as-of'] === undefined ? undefined : normalizeAsOf(f['as-of']);
  const backend = openBackend(loadConfig().store);
  try {
    switch (command) {
      case 'apply': {
        const loaded = readRepository(f.repository!);
        for (const change of await applyRepository(backend, loaded.repository))
          process.stdout.write(
            `${change.view}: ${change.action}${change.added.length && change.action !== 'created' ? ` (${change.added.join(', ')})` : ''}\n`,
          );
        return;
      }
      case 'materialize': {
        const loaded = readRepository(f.repository!);
        const names = rest.length > 0 ? rest : loaded.repository.views.map((v) => v.name);
        for (const name of names) {
          const done = await materializeView(backend, loaded, name, {
            asOf,
            onProgress: (rows) => process.stderr.write(`\r${name}: ${rows} rows`),
          });
          process.stderr.write('\n');
          process.stdout.write(
            `${done.view}: ${done.rows} customers as of ${done.valuesAsOf} in ${done.seconds.toFixed(1)} s${done.skipped ? ` (${done.skipped} rows skipped: customer id not accepted by the server)` : ''}\n`,
          );
          if (done.rows === 0)
            process.stderr.write(
              `${done.view}: no customer has a row at or before ${done.valuesAsOf}${loaded.repository.views.find((v) => v.name === name)?.ttlDays ? ' within the ttl' : ''}: check --as-of (default now) and the source's times\n`,
            );
        }
        return;
      }
      case 'list': {
        const registry = await readRegistry(backend);
        if (registry.size === 0) process.stdout.write('no feature views: run features apply\n');
        for (const v of registry.values())
          process.stdout.write(
            `${v.name}: ${v.definition.features.length} features, ${v.rows ?? 0} rows, ${v.materializedAt ? `materialized ${v.materializedAt} (values as of ${v.valuesAsOf})` : 'not materialized'}\n`,
          );
        return;
      }
      case 'describe': {
        const v = (await readRegistry(backend)).get(rest[0] ?? '');
        if (!v) throw new Error(`no view named ${rest[0] ?? '(none given)'} in the store`);
        process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
        return;
      }
      default:
        process.stderr.write(`${USAGE}\n`);
        process.exitCode = 2;
    }
  } finally {
    await backend.close();
  }
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (also with a T), as the registry's 'YYYY-MM-DD HH:MM:SS'. */
function normalizeAsOf(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?$/.exec(text);
  if (!m || Number.isNaN(Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}Z`))) {
    process.stderr.write(`--as-of must be YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS'\n${USAGE}\n`);
    process.exit(2);
  }
  return `${m[1]} ${m[2] ?? '00:00:00'}`;
}

main().catch((err: unknown) => {
  process.stderr.write(`features: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
