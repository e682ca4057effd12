/** How one queryable object's fields are read from SQL; the SOQL engine knows nothing else of storage. */
export type ColumnKind = 'text' | 'number' | 'timestamp' | 'numeric';

export interface StoredColumn {
  sql: string;
  /** `numeric` values travel as decimal text, so amounts never pass through binary floating point. */
  kind: ColumnKind;
  /** SOQL compares strings case-insensitively; picklists are normalised by the gateway instead. */
  caseInsensitive?: boolean;
}

export interface ObjectStorage {
  /** The object's own table; `from` aliases it `o`. */
  table: string;
  /** FROM clause with every join relationship fields need; the object itself is aliased `o`. */
  from: string;
  ownerColumnName: string;
  /** The auto-number that record ids encode; unique, so it also breaks ties for stable paging. */
  numberColumnName: string;
  columns: Readonly<Record<string, StoredColumn>>;
  /** Per relationship: the reference value that ends each row (null when the related record is absent). */
  relationships: Readonly<Record<string, StoredColumn>>;
  /** Columns FOR VIEW sets, by field name; objects without them refuse FOR VIEW. */
  viewedColumns?: { lastViewed: string; lastReferenced: string; lastViewedField: string; lastReferencedField: string };
  /**
   * A table of (owner_id text, xid xid8) rows that every transaction changing the object's rows
   * writes (the owner's triggers): which transactions changed which owner's records. Readers that
   * keep answers (the gateway's SOQL page cache) check them against it; objects without one are
   * never kept.
   */
  changeLog?: string;
}
