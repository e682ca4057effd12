import { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'tracker';

/**
 * The owner-scoped change log behind the live event stream. Rows are written with the change
 * (so none is lost) and get their public `seq` later, from one sequencer at a time, in commit
 * order: a reader that has seen seq N can never be handed a smaller seq afterwards.
 */
export class CreateOperationEventLog1764500000000 implements MigrationInterface {
  name = 'CreateOperationEventLog1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "${S}"."operation_event" (
        "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        "seq" bigint UNIQUE,
        "owner_id" text NOT NULL,
        "operation_id" uuid NOT NULL,
        "job_type" text NOT NULL,
        "status" text NOT NULL,
        "payload" jsonb NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE SEQUENCE "${S}"."operation_event_seq" AS bigint OWNED BY "${S}"."operation_event"."seq"`);
    await q.query(`CREATE INDEX "operation_event_unsequenced" ON "${S}"."operation_event" ("id") WHERE "seq" IS NULL`);
    await q.query(`CREATE INDEX "operation_event_owner_seq" ON "${S}"."operation_event" ("owner_id", "seq")`);
    await q.query(`CREATE INDEX "operation_event_operation" ON "${S}"."operation_event" ("operation_id", "id")`);
    await q.query(`CREATE INDEX "operation_event_recorded_at" ON "${S}"."operation_event" ("recorded_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS "${S}"."operation_event"`);
  }
}
