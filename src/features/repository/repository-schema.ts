import { z } from 'zod';

/**
 * The feature repository (models/feature-repository.yaml, or any file `features apply` is given):
 * a team's own tables, queries and files declared as feature views, as Feast declares them.
 * - the entity: what every view describes, one row per customer id;
 * - sources: a CSV or Parquet file (read by DuckDB), a table or a SQL query of the feature store's
 *   own database;
 * - views: a name, a source, the source's entity and event-timestamp columns, the features (typed,
 *   each from a source column), an optional ttl (how far back a value may be from the time it is
 *   looked up for) and an optional maxAgeDays (how old a materialization may be and still serve).
 * The 32 features computed from purchase histories are the built-in view `loyalty`, not declared here.
 */

/** The built-in view: the history features of the online table, named bare or `loyalty.x`. */
export const BUILTIN_VIEW = 'loyalty';

/** Most views one repository declares, and features one view holds: the online tables follow. */
export const MAX_VIEWS = 200;
export const MAX_VIEW_FEATURES = 500;

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _, starting with a letter (at most 63)');

/** A column of a source as its owner named it; double quotes and control characters are refused. */
const sourceColumn = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^"`\p{Cc}]+$/u, 'no double quotes, backquotes or control characters');

const tableName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a table name: letters, digits and _ (no schema prefix)');

export const sourceSchema = z.union([
  z
    .object({
      /** A path, relative to the repository file's folder unless absolute. */
      file: z.string().min(1).max(4096),
      /** Taken from the file's extension when not given. */
      format: z.enum(['csv', 'parquet']).optional(),
      /**
       * For a file without a customer id (one row per customer): a column of this name numbers the
       * data rows from 1 in file order, to be named as a view's or a label source's entity column.
       */
      rowNumber: sourceColumn.optional(),
    })
    .strict(),
  z.object({ table: tableName }).strict(),
  z.object({ query: z.string().min(1).max(100_000) }).strict(),
]);
export type SourceSpec = z.infer<typeof sourceSchema>;

export const FEATURE_TYPES = ['float', 'int', 'bool'] as const;

const featureSchema = z
  .object({
    name: identifier,
    type: z.enum(FEATURE_TYPES).default('float'),
    /** The source column; the feature's name when not given. */
    column: sourceColumn.optional(),
    /**
     * Instead of a column: a SQL expression over the source's columns, in the source's engine
     * (DuckDB for files, the store's database otherwise), e.g. "Contract = 'Month-to-month'" to
     * one-hot a category or "ln(1 + tenure)".
     */
    expr: z.string().min(1).max(10_000).optional(),
    /** Served and trained on in place of a missing (NULL) value; without it the customer cannot be scored. */
    default: z.number().refine(Number.isFinite, 'must be finite').optional(),
    description: z.string().max(1000).optional(),
  })
  .strict()
  .refine((f) => f.column === undefined || f.expr === undefined, 'give a column or an expr, not both');
export type FeatureSpec = z.infer<typeof featureSchema>;

export const viewSchema = z
  .object({
    name: identifier.refine((n) => n !== BUILTIN_VIEW, `${BUILTIN_VIEW} is the built-in view`),
    description: z.string().max(1000).default(''),
    source: identifier,
    /** The source column holding the customer id. */
    entityColumn: sourceColumn,
    /**
     * The source column holding when each row's values became true. Without it the view holds
     * static attributes: one row per customer, joined to every label whatever its time.
     */
    timestampColumn: sourceColumn.optional(),
    /** A value older than this many days before the time it is looked up for counts as missing. */
    ttlDays: z.number().int().positive().max(36_500).optional(),
    /** Serving refuses the view (FAILED_PRECONDITION) once its materialization is older than this. */
    maxAgeDays: z.number().positive().max(36_500).optional(),
    features: z.array(featureSchema).min(1).max(MAX_VIEW_FEATURES),
  })
  .strict();
export type ViewSpec = z.infer<typeof viewSchema>;

export const repositorySchema = z
  .object({
    entity: z
      .object({ name: identifier.default('customer'), description: z.string().max(1000).default('') })
      .strict()
      .default({ name: 'customer', description: '' }),
    sources: z.record(identifier, sourceSchema).default({}),
    views: z.array(viewSchema).max(MAX_VIEWS).default([]),
  })
  .strict()
  .superRefine((repo, ctx) => {
    /** An issue at each name that repeats an earlier one of the list. */
    const repeats = (names: readonly string[], what: string, path: (i: number) => (string | number)[]) => {
      const seen = new Set<string>();
      names.forEach((name, i) => {
        if (seen.has(name))
          ctx.addIssue({ code: 'custom', message: `a second ${what} named ${name}`, path: path(i) });
        seen.add(name);
      });
    };
    repeats(
      repo.views.map((v) => v.name),
      'view',
      (i) => ['views', i, 'name'],
    );
    repo.views.forEach((view, i) => {
      // Own keys only: a view naming "constructor" must not find Object's.
      if (!Object.hasOwn(repo.sources, view.source))
        ctx.addIssue({
          code: 'custom',
          message: `no source named ${view.source} (sources: ${Object.keys(repo.sources).join(', ') || 'none'})`,
          path: ['views', i, 'source'],
        });
      repeats(
        view.features.map((f) => f.name),
        'feature',
        (j) => ['views', i, 'features', j, 'name'],
      );
    });
  });
export type FeatureRepository = z.infer<typeof repositorySchema>;

/** The source column of a feature. */
export const columnOf = (f: FeatureSpec): string => f.column ?? f.name;
