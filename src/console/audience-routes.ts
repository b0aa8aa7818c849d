import type { ServerResponse } from 'node:http';
import { type Audience, audienceQuery, parseAudience } from '../audiences/audience.js';
import { type AudienceDeps, type AudienceRow, runAudience } from '../audiences/audience-runner.js';
import {
  type AudienceStore,
  type CrmTableWriter,
  checkAudienceName,
  exportCells,
  exportHeader,
} from '../audiences/audience-store.js';
import { sqlDateTime } from '../decisioning/contact-history.js';
import { Errors } from '../errors.js';
import { type BodyBudget, readJsonBody } from '../http/json-body.js';
import { HttpError, send } from '../http/responses.js';
import { ANONYMOUS, type HttpRoute, type RouteContext } from '../http/route-table.js';
import { callSignal } from './call-signal.js';
import { consoleGet } from './console-api.js';
import { MAX_CONCURRENT_RUNS, RunLimit } from './run-limit.js';

/** The console's changes that are not the serving policy's: saving audiences, exporting lists. */
export const CONSOLE_WRITE = 'console/Write';
/** A list over a large base takes minutes. */
const RUN_TIMEOUT_MS = 10 * 60_000;

export interface AudienceConsoleDeps {
  audiences: AudienceDeps;
  store: AudienceStore;
  bodies: BodyBudget;
  /** Customers of the base, for the progress bar. */
  baseSize(): Promise<number>;
}

/**
 * Audiences: lists built by conditions over models, segments, tiers, features and contacts.
 *
 *   GET    /console/api/campaign?<audience>[&preview=1]   run: NDJSON progress (+ rows), then totals
 *   POST   /console/api/exports        {query, audience?, to: "file"|"table"}: run, recorded
 *   GET    /console/api/exports        the export history, newest first
 *   GET    /console/api/audiences      saved audiences
 *   PUT    /console/api/audiences/{name}   {query}: save (who and when kept)
 *   DELETE /console/api/audiences/{name}
 *
 * An audience's query is the one parseAudience reads (audience.ts). Runs are batch scoring:
 * they do not feed drift. Exports to a table write crm_audience_<name> in the store's database.
 */
export function audienceRoutes(deps: AudienceConsoleDeps): HttpRoute[] {
  const runs = new RunLimit(MAX_CONCURRENT_RUNS);
  const named = /^\/console\/api\/audiences\/([^/]+)$/;
  const write = (
    method: 'POST' | 'PUT' | 'DELETE',
    path: RegExp,
    handle: HttpRoute['handle'],
  ): HttpRoute => ({
    method,
    path,
    access: [CONSOLE_WRITE],
    changesState: true,
    handle,
  });
  return [
    consoleGet('campaign', ({ res, query }) =>
      runs.run('', () =>
        run(deps, res, parseAudience(query), { preview: query.get('preview') === '1', audience: '' }),
      ),
    ),
    consoleGet('exports', async ({ res }) => send(res, 200, { exports: await deps.store.exports() })),
    consoleGet('audiences', async ({ res }) => send(res, 200, { audiences: await deps.store.list() })),
    write('POST', /^\/console\/api\/exports$/, (ctx) => exportList(deps, runs, ctx)),
    write('PUT', named, async ({ req, res, params, caller }) => {
      const name = checkAudienceName(params[0]!);
      const body = (await readJsonBody(req, deps.bodies)) as { query?: unknown };
      const audience = parseAudience(new URLSearchParams(typeof body?.query === 'string' ? body.query : ''));
      send(res, 200, await deps.store.save(name, audienceQuery(audience).toString(), who(caller)));
    }),
    write('DELETE', named, async ({ res, params }) => {
      if (!(await deps.store.remove(checkAudienceName(params[0]!))))
        throw new HttpError(404, `no audience ${params[0]} is saved`);
      send(res, 200, { removed: params[0] });
    }),
  ];
}

const who = (caller: string | undefined) => caller ?? ANONYMOUS;

async function exportList(
  deps: AudienceConsoleDeps,
  runs: RunLimit,
  { req, res, caller }: RouteContext,
): Promise<void> {
  const body = (await readJsonBody(req, deps.bodies)) as {
    query?: unknown;
    audience?: unknown;
    to?: unknown;
  };
  if (typeof body?.query !== 'string')
    throw Errors.invalidArgument('query is required: the audience to export');
  const audience = typeof body.audience === 'string' && body.audience ? checkAudienceName(body.audience) : '';
  const to = body.to ?? 'file';
  if (to !== 'file' && to !== 'table') throw Errors.invalidArgument('to is "file" or "table"');
  if (to === 'table' && !audience)
    throw Errors.invalidArgument('a list exported as a table needs an audience name');
  const a = parseAudience(new URLSearchParams(body.query));
  await runs.run(audience, async () =>
    run(deps, res, a, {
      preview: false,
      audience,
      table: to === 'table' ? await deps.store.crmTable(audience, a.columns) : undefined,
      record: who(caller),
    }),
  );
}

/**
 * Runs an audience as NDJSON: `{columns}` first, a progress line per chunk of the base
 * (`{scored, total, rows}`: rows as exportCells, none for a preview or a table export), then the
 * totals (`{done, count, holdout, matched, excluded, histogram, breakdown, file}`) or `{error}`.
 */
async function run(
  deps: AudienceConsoleDeps,
  res: ServerResponse,
  a: Audience,
  options: { preview: boolean; audience: string; table?: CrmTableWriter; record?: string },
): Promise<void> {
  const signal = callSignal(res, RUN_TIMEOUT_MS);
  let total = 0;
  const exportedAt = sqlDateTime(Date.now());
  const versions = new Set<string>();
  const line = (value: unknown) => `${JSON.stringify(value)}\n`;
  const sendRows = !options.preview && !options.table;
  let started = false;
  const start = () => {
    if (started) return;
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    res.write(line({ columns: exportHeader(a.columns) }));
    started = true;
  };
  // The holdout follows the audience, not its name or its columns: the same customers every run.
  const seed = audienceQuery({ ...a, columns: [] }).toString();
  try {
    total = await deps.baseSize();
    const totals = await runAudience(
      deps.audiences,
      a,
      seed,
      {
        progress: async (scored, rows: AudienceRow[]) => {
          start();
          for (const r of rows) versions.add(r.version);
          if (options.table && rows.length) await options.table.write(rows, a.model, exportedAt);
          const cells = sendRows ? rows.map((r) => exportCells(r, a.model, a.columns)) : [];
          if (!res.write(line({ scored, total, rows: cells })))
            await new Promise<void>((resolve) => res.once('drain', resolve));
        },
      },
      signal,
    );
    start();
    const version = versions.size === 1 ? `v${[...versions][0]}` : versions.size ? 'mixed-versions' : 'none';
    const day = exportedAt.slice(0, 10);
    const file = `${options.audience ? `audience-${options.audience}-` : 'campaign-'}${a.model}-${version}-${day}.csv`;
    if (options.table) await options.table.commit();
    if (options.record)
      await deps.store.recordExport({
        exportedAt,
        audience: options.audience,
        query: audienceQuery(a).toString(),
        model: a.model,
        modelVersion: [...versions].sort().join(' '),
        destination: options.table ? `table:${options.table.table}` : `file:${file}`,
        rows: totals.count,
        holdout: totals.holdout,
        exportedBy: options.record,
      });
    res.end(line({ done: true, ...totals, file, table: options.table?.table ?? null }));
  } catch (err) {
    await options.table?.abandon().catch(() => {});
    // Before the first line: an error status the page can show; after it, the stream's last line.
    if (!started) throw err;
    res.end(line({ error: err instanceof Error ? err.message : 'internal error' }));
  }
}
