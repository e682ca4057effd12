import { ApiProperty } from '@nestjs/swagger';
import { MAX_PRODUCTS_PER_REQUEST, NestedList, ProductInput } from '@asyncops/contracts';

export class UpsertProductsDto {
  @ApiProperty({
    description: `Up to ${MAX_PRODUCTS_PER_REQUEST} products {sku, name, unitPrice (decimal string or null), active, subscriptionMonths}; an existing sku is replaced.`,
    type: 'array',
    items: { type: 'object' },
  })
  @NestedList(() => ProductInput, { max: MAX_PRODUCTS_PER_REQUEST })
  products!: ProductInput[];
}
