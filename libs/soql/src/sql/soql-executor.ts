import { assertValidPlan, QueryPlan, QueryPlanError } from '../query-plan';
import { SObjectDescription } from '../sobject-description';
import { ObjectStorage } from './object-storage';
import { SqlCompiler } from './sql-compiler';

export type Cell = string | number | null;

const CHECKED_PLANS = 1000;

/**
 * Runs one parameterised statement in the caller's transaction and returns its rows as arrays, in
 * the order of the SELECT list. Numbers may come as decimal text and timestamps as Dates or UTC
 * ISO strings: cells are normalised here, once.
 */
export type RunSql = (sql: string, values: unknown[]) => Promise<ReadonlyArray<ReadonlyArray<unknown>>>;

/** One page of a planned query, as the owning service receives it over RPC. */
export interface SoqlPageRequest {
  ownerId: string;
  plan: unknown;
  /** Rows of the query already returned by earlier pages. */
  pageOffset: number;
  pageSize: number;
  /** The first page's highest auto-number; absent on the first page. */
  snapshot?: number;
  withTotal: boolean;
}

export interface SoqlPage {
  /** Record number, one value per `plan.select` path, then one per relationship in `relationships`. */
  rows: Cell[][];
  relationships: string[];
  totalSize: number | null;
  snapshot: number;
}

/** An object the service owns: what SOQL may ask of it and where its fields are stored. */
export interface OwnedObject {
  description: SObjectDescription;
  storage: ObjectStorage;
}

/**
 * The service side of the pipeline: checks the plan against the objects it owns (trusting
 * nothing the gateway sent), compiles it for the object's storage and runs it, always scoped to
 * the asking owner. A plan it refuses throws QueryPlanError.
 */
export class SoqlExecutor {
  private readonly objects: readonly SObjectDescription[];
  private readonly storages: ReadonlyMap<string, ObjectStorage>;

  constructor(owned: readonly OwnedObject[]) {
    this.objects = owned.map((o) => o.description);
    this.storages = new Map(owned.map((o) => [o.description.name, o.storage]));
  }

  /** Texts of plans already found valid, least recently used first: clients repeat their queries. */
  private readonly checked = new Map<string, true>();

  private check(plan: unknown): asserts plan is QueryPlan {
    const text = JSON.stringify(plan);
    if (this.checked.delete(text)) {
      this.checked.set(text, true);
      return;
    }
    assertValidPlan(plan, this.objects);
    this.checked.set(text, true);
    if (this.checked.size > CHECKED_PLANS) this.checked.delete(this.checked.keys().next().value as string);
  }

  async page(run: RunSql, req: SoqlPageRequest): Promise<SoqlPage> {
    this.check(req.plan);
    const plan: QueryPlan = req.plan;
    const storage = this.storages.get(plan.object);
    if (!storage) throw new QueryPlanError(`plan.object: ${plan.object} is not stored here`);
    if (plan.forView && !storage.viewedColumns) throw new QueryPlanError(`plan.forView: ${plan.object} keeps no view dates`);
    if (plan.aggregate) {
      const c = new SqlCompiler(storage);
      const kinds = c.aggregateKinds(plan);
      const compiled = c.aggregate(plan, req.ownerId);
      const raw = await run(compiled.sql, compiled.values);
      const rows = raw.map((r) => kinds.map((kind, i) => cell(r[i], kind === 'number' || kind === 'decimal')));
      return { rows, relationships: [], totalSize: rows.length, snapshot: 0 };
    }
    if (plan.count) {
      const c = new SqlCompiler(storage).count(plan, req.ownerId);
      const [row] = await run(c.sql, c.values);
      return { rows: [], relationships: [], totalSize: Number(row[0]), snapshot: 0 };
    }
    const compiler = new SqlCompiler(storage);
    const relationships = compiler.relationshipsOf(plan);
    const first = req.snapshot === undefined;
    const compiled = compiler.rows(plan, { ownerId: req.ownerId, pageOffset: req.pageOffset, pageSize: req.pageSize, snapshot: first ? null : (req.snapshot as number), withTotals: first });
    const raw = await run(compiled.sql, compiled.values);
    const numeric = [true, ...plan.select.map((p) => storage.columns[p].kind === 'number'), ...relationships.map((r) => storage.relationships[r].kind === 'number')];
    const width = numeric.length;
    const rows: Cell[][] = new Array(raw.length);
    for (let r = 0; r < raw.length; r++) {
      const source = raw[r];
      const row: Cell[] = new Array(width);
      for (let i = 0; i < width; i++) row[i] = cell(source[i], numeric[i]);
      rows[r] = row;
    }
    let totalSize: number | null = null;
    let snapshot = req.snapshot ?? 0;
    if (first) {
      // No row means nothing matched within OFFSET: the total is 0 and no later page will ask.
      // The first page's statement ends each row with the total and the snapshot (SqlCompiler.rows).
      const matched = raw.length ? Number(raw[0][width]) : 0;
      snapshot = raw.length ? Number(raw[0][width + 1]) : 0;
      totalSize = Math.max(0, Math.min(matched - plan.offset, plan.limit ?? Number.MAX_SAFE_INTEGER));
    }
    if (plan.forView && rows.length) await markViewed(run, storage, plan, req.ownerId, rows);
    return { rows, relationships, totalSize: req.withTotal ? totalSize : null, snapshot };
  }
}

/** FOR VIEW: the records just read were viewed now; the answer shows the new values. */
async function markViewed(run: RunSql, storage: ObjectStorage, plan: QueryPlan, ownerId: string, rows: Cell[][]): Promise<void> {
  const v = storage.viewedColumns;
  if (!v) return;
  const numbers = rows.map((r) => r[0]);
  await run(
    `UPDATE ${storage.table} SET "${v.lastViewed}" = now(), "${v.lastReferenced}" = now() WHERE "${storage.ownerColumnName}" = $1 AND "${storage.numberColumnName}" = ANY($2::bigint[])`,
    [ownerId, numbers],
  );
  // now() is the transaction's timestamp, so this is exactly the value the UPDATE wrote.
  const [row] = await run('SELECT now() AS "at"', []);
  const at = new Date(row[0] as string | Date).toISOString();
  plan.select.forEach((path, i) => {
    if (path === v.lastViewedField || path === v.lastReferencedField) for (const r of rows) r[i + 1] = at;
  });
}

/** Numbers go back as numbers so the gateway can encode ids; timestamps as UTC ISO strings. */
function cell(value: unknown, numeric: boolean): Cell {
  if (value === null || value === undefined) return null;
  if (numeric) return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}
