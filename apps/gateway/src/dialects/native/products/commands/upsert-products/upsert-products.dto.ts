import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { MAX_PRODUCTS_PER_REQUEST, ProductInput } from '@asyncops/contracts';

export class UpsertProductsDto {
  @ApiProperty({
    description: `Up to ${MAX_PRODUCTS_PER_REQUEST} products {sku, name, unitPrice (decimal string or null), active, subscriptionMonths}; an existing sku is replaced.`,
    type: 'array',
    items: { type: 'object' },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PRODUCTS_PER_REQUEST)
  @ValidateNested({ each: true })
  @Type(() => ProductInput)
  products!: ProductInput[];
}
