import { CreateMessagingTables1764000000000 } from './1764000000000-CreateMessagingTables';
import { CreateCommerceTables1764100000000 } from './1764100000000-CreateCommerceTables';

/** In order; the TypeORM CLI and the app both read this list. */
export const ORDER_PLACEMENT_MIGRATIONS = [CreateMessagingTables1764000000000, CreateCommerceTables1764100000000];
