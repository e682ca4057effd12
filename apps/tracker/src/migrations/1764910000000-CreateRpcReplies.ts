import { rpcReplyMigration } from '@asyncops/messaging';

/** Stored answers of request/reply calls, so a redelivered request is answered, not run again. */
export class CreateRpcReplies1764910000000 extends rpcReplyMigration('CreateRpcReplies1764910000000', 'tracker') {}
