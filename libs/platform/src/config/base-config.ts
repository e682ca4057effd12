import { IsIn, Matches } from 'class-validator';
import { Hint, IntSetting } from './load-config';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/asyncops';
export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** Variables every service reads. Each app's config class extends this one. */
export class BaseConfig {
  @IsIn(['development', 'production', 'test'])
  @Hint('Set NODE_ENV to development, production or test')
  NODE_ENV = 'development';

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL = 'info';

  @Matches(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, { message: 'must be a postgres:// URL with a database name' })
  @Hint('Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/asyncops')
  DATABASE_URL = DEFAULT_DATABASE_URL;

  @IntSetting(1, 200)
  DATABASE_POOL_SIZE = 20;

  @IntSetting(0, 86_400_000, 'Milliseconds a single SQL statement may run before PostgreSQL cancels it (0 = no limit)')
  DATABASE_STATEMENT_TIMEOUT_MS = 30_000;

  @IntSetting(0, 86_400_000, 'Milliseconds a session may stay idle inside an open transaction before PostgreSQL ends it (0 = no limit)')
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

  @IntSetting(100, 600_000, 'Milliseconds to wait for a database connection before the attempt fails (and is retried)')
  DATABASE_CONNECT_TIMEOUT_MS = 5_000;

  @Matches(/^amqps?:\/\/.+/, { message: 'must be an amqp:// or amqps:// URL' })
  @Hint('Set AMQP_URL, e.g. amqp://guest:guest@127.0.0.1:5672')
  AMQP_URL = DEFAULT_AMQP_URL;

  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'must be lowercase letters, digits, dots, dashes (max 64)' })
  @Hint('AMQP_PREFIX names the exchanges and queues; every service of one deployment must use the same value')
  AMQP_PREFIX = 'asyncops';

  @IntSetting(2, 100, 'How many times a message is delivered before it goes to the dead-letter queue')
  AMQP_DELIVERY_LIMIT = 5;

  @IntSetting(1, 1000)
  CONSUMER_CONCURRENCY = 16;

  @IntSetting(0, 65535)
  PORT = 0;

  @IntSetting(10, 60_000)
  OUTBOX_POLL_MS = 250;

  @IntSetting(1, 365, 'Days a consumed message id is remembered for deduplication; redeliveries never arrive later than this')
  PROCESSED_MESSAGE_RETENTION_DAYS = 7;

  @IntSetting(1_000, 86_400_000, 'How often each replica prunes remembered message ids older than PROCESSED_MESSAGE_RETENTION_DAYS')
  PROCESSED_MESSAGE_PRUNE_INTERVAL_MS = 600_000;

  @IntSetting(1000, 600_000, 'SHUTDOWN_TIMEOUT_MS bounds a graceful stop (SIGTERM/SIGINT); past it the process exits anyway')
  SHUTDOWN_TIMEOUT_MS = 25_000;
}
