import { outboxPublishAfterMigration } from '@asyncops/messaging';

/** Outbox rows may be held back until a time (the copy of a submit the caller records itself). */
export class OutboxPublishAfter1764920000000 extends outboxPublishAfterMigration('OutboxPublishAfter1764920000000', 'tracker') {}
