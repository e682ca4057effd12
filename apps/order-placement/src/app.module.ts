import { Module } from '@nestjs/common';
import { PendingOrdersModule } from './pending-orders/pending-orders.module';
import { PlacementModule } from './placement/placement.module';
import { ProductsModule } from './products/products.module';
import { RevenueCloudModule } from './revenue-cloud/revenue-cloud.module';
import { ZuoraOrdersModule } from './zuora-orders/zuora-orders.module';

/** The capabilities of order-placement; runTableService adds its config, database, broker and health. */
@Module({
  imports: [ProductsModule, PlacementModule, ZuoraOrdersModule, RevenueCloudModule, PendingOrdersModule],
})
export class OrderPlacementModule {}
