import { Type } from 'class-transformer';
import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { Hint } from './load-config';

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

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 20;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  @Hint('Milliseconds a single SQL statement may run before PostgreSQL cancels it (0 = no limit)')
  DATABASE_STATEMENT_TIMEOUT_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  @Hint('Milliseconds a session may stay idle inside an open transaction before PostgreSQL ends it (0 = no limit)')
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  @Hint('Milliseconds to wait for a database connection before the attempt fails (and is retried)')
  DATABASE_CONNECT_TIMEOUT_MS = 5_000;

  @Matches(/^amqps?:\/\/.+/, { message: 'must be an amqp:// or amqps:// URL' })
  @Hint('Set AMQP_URL, e.g. amqp://guest:guest@127.0.0.1:5672')
  AMQP_URL = DEFAULT_AMQP_URL;

  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'must be lowercase letters, digits, dots, dashes (max 64)' })
  @Hint('AMQP_PREFIX names the exchanges and queues; every service of one deployment must use the same value')
  AMQP_PREFIX = 'asyncops';

  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(100)
  @Hint('How many times a message is delivered before it goes to the dead-letter queue')
  AMQP_DELIVERY_LIMIT = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  CONSUMER_CONCURRENCY = 16;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 0;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_MS = 250;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  @Hint('Days a consumed message id is remembered for deduplication; redeliveries never arrive later than this')
  PROCESSED_MESSAGE_RETENTION_DAYS = 7;

  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  @Hint('How often each replica prunes remembered message ids older than PROCESSED_MESSAGE_RETENTION_DAYS')
  PROCESSED_MESSAGE_PRUNE_INTERVAL_MS = 600_000;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  @Hint('SHUTDOWN_TIMEOUT_MS bounds a graceful stop (SIGTERM/SIGINT); past it the process exits anyway')
  SHUTDOWN_TIMEOUT_MS = 25_000;
}
