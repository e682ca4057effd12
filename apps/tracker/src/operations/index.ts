export * from './async-operation.entity';
export * from './item-failure.entity';
export * from './deleted-operation.entity';
export * from './orphan-event.entity';

import { AsyncOperation } from './async-operation.entity';
import { DeletedOperation } from './deleted-operation.entity';
import { ItemFailureRecord } from './item-failure.entity';
import { OrphanEvent } from './orphan-event.entity';

export const TRACKER_ENTITIES = [AsyncOperation, ItemFailureRecord, DeletedOperation, OrphanEvent];
