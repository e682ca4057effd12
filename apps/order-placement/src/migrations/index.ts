import { CreateMessagingTables1764000000000 } from './1764000000000-CreateMessagingTables';
import { CreateCommerceTables1764100000000 } from './1764100000000-CreateCommerceTables';
import { CreateZuoraOrderTables1764200000000 } from './1764200000000-CreateZuoraOrderTables';
import { CreateSalesTransactionTables1764300000000 } from './1764300000000-CreateSalesTransactionTables';
import { CreatePendingOrderTables1764600000000 } from './1764600000000-CreatePendingOrderTables';
import { OrderSummaryReadIndexes1764710000000 } from './1764710000000-OrderSummaryReadIndexes';
import { AddOrderCancellation1764714200000 } from './1764714200000-AddOrderCancellation';
import { CreateRpcReplies1764910000000 } from './1764910000000-CreateRpcReplies';
import { OutboxPublishAfter1764920000000 } from './1764920000000-OutboxPublishAfter';
import { OrderSummaryWithoutForeignKeys1764935000000 } from './1764935000000-OrderSummaryWithoutForeignKeys';
import { OutboxHeldMessageIndex1764950000000 } from './1764950000000-OutboxHeldMessageIndex';

/** In order; the TypeORM CLI and the app both read this list. */
export const ORDER_PLACEMENT_MIGRATIONS = [CreateMessagingTables1764000000000, CreateCommerceTables1764100000000, CreateZuoraOrderTables1764200000000, CreateSalesTransactionTables1764300000000, CreatePendingOrderTables1764600000000, OrderSummaryReadIndexes1764710000000, AddOrderCancellation1764714200000, CreateRpcReplies1764910000000, OutboxPublishAfter1764920000000, OrderSummaryWithoutForeignKeys1764935000000, OutboxHeldMessageIndex1764950000000];
