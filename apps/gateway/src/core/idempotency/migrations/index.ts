import { CreateIdempotencyRecords1764300000000 } from './1764300000000-CreateIdempotencyRecords';

/** In order; the TypeORM CLI and the app both read this list. */
export const GATEWAY_MIGRATIONS = [CreateIdempotencyRecords1764300000000];
