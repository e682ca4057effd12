import { Module } from '@nestjs/common';
import { UpsertProductsController } from './products.controller';
import { UpsertProductsHandler } from './commands/upsert-products/upsert-products.handler';

/** The owner's price book, which carts are priced from. */
@Module({
  controllers: [UpsertProductsController],
  providers: [UpsertProductsHandler],
})
export class ProductsModule {}
