import { Client } from 'pg';

/**
 * The pool's PostgreSQL client, always listening for `error`. When the server terminates a
 * session (restart, failover, pg_terminate_backend) a client can report the loss after the pool
 * or the query runner stopped listening to it; an `error` event without a listener would kill
 * the process. The query that was running still fails (and is retried as a transient failure),
 * and the pool still drops the client.
 */
export class ResilientPgClient extends Client {
  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    this.on('error', () => undefined);
  }
}
