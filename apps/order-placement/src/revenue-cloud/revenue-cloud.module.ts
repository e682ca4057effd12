import { Module } from '@nestjs/common';
import { PersistSalesTransactionController } from './commands/persist/persist.controller';
import { PlaceSalesTransactionController } from './commands/place/place.controller';
import { PriceSalesTransactionController } from './commands/price/price.controller';
import { TaxSalesTransactionController } from './commands/tax/tax.controller';
import { SalesTransactionsService } from './sales-transactions.service';

/** Revenue Cloud sales transactions: placed, then priced, taxed and persisted one command each. */
@Module({
  controllers: [PlaceSalesTransactionController, PriceSalesTransactionController, TaxSalesTransactionController, PersistSalesTransactionController],
  providers: [SalesTransactionsService],
})
export class RevenueCloudModule {}
