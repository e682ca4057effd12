import { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'tracker';

/**
 * Which transactions changed which owner's operations: a row per (owner, transaction id), written
 * by statement triggers on `async_operation` in the changing transaction itself, so no write path
 * can forget it and it commits (or not) with the change. The gateway's SOQL page cache checks a
 * cached page against it: a page read at snapshot S is stale when a committed row of its owner has
 * a transaction id S did not see (README "SOQL pages from memory"). Rows are only inserted, each
 * transaction its own keys, so concurrent writers never wait on each other here; the tracker's
 * sweeper deletes rows once no cached page can still need them.
 */
export class OwnerChangeLog1764940000000 implements MigrationInterface {
  name = 'OwnerChangeLog1764940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "${S}"."owner_change" (
      "owner_id" text NOT NULL,
      "xid" xid8 NOT NULL,
      CONSTRAINT "owner_change_pk" PRIMARY KEY ("owner_id", "xid")
    )`);
    // Transition tables hold the statement's rows: one insert per statement and owner, not per row.
    // An UPDATE logs the owners before and after (an owner_id changed makes both owners' answers
    // stale). TRUNCATE has no rows to read: it logs the owner '*', which every check matches.
    await q.query(`CREATE FUNCTION "${S}"."record_owner_change"() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO "${S}"."owner_change" ("owner_id", "xid")
            SELECT DISTINCT "owner_id", pg_current_xact_id() FROM "changed_new" ON CONFLICT DO NOTHING;
        ELSIF TG_OP = 'UPDATE' THEN
          INSERT INTO "${S}"."owner_change" ("owner_id", "xid")
            SELECT "owner_id", pg_current_xact_id() FROM "changed_new" UNION SELECT "owner_id", pg_current_xact_id() FROM "changed_old"
            ON CONFLICT DO NOTHING;
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO "${S}"."owner_change" ("owner_id", "xid")
            SELECT DISTINCT "owner_id", pg_current_xact_id() FROM "changed_old" ON CONFLICT DO NOTHING;
        ELSE
          INSERT INTO "${S}"."owner_change" ("owner_id", "xid") VALUES ('*', pg_current_xact_id()) ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END
    $fn$`);
    const table = `"${S}"."async_operation"`;
    const fn = `EXECUTE FUNCTION "${S}"."record_owner_change"()`;
    await q.query(`CREATE TRIGGER "async_operation_inserted" AFTER INSERT ON ${table} REFERENCING NEW TABLE AS "changed_new" FOR EACH STATEMENT ${fn}`);
    await q.query(`CREATE TRIGGER "async_operation_updated" AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS "changed_old" NEW TABLE AS "changed_new" FOR EACH STATEMENT ${fn}`);
    await q.query(`CREATE TRIGGER "async_operation_deleted" AFTER DELETE ON ${table} REFERENCING OLD TABLE AS "changed_old" FOR EACH STATEMENT ${fn}`);
    await q.query(`CREATE TRIGGER "async_operation_truncated" AFTER TRUNCATE ON ${table} FOR EACH STATEMENT ${fn}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['inserted', 'updated', 'deleted', 'truncated']) await q.query(`DROP TRIGGER "async_operation_${t}" ON "${S}"."async_operation"`);
    await q.query(`DROP FUNCTION "${S}"."record_owner_change"()`);
    await q.query(`DROP TABLE "${S}"."owner_change"`);
  }
}
