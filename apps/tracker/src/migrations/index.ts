import { CreateOperations1764000000000 } from './1764000000000-CreateOperations';
import { TombstoneOperationNumber1764100000000 } from './1764100000000-TombstoneOperationNumber';

/** In order; the TypeORM CLI and the app both read this list. */
export const TRACKER_MIGRATIONS = [CreateOperations1764000000000, TombstoneOperationNumber1764100000000];
