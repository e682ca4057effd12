import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { CartItemInput, MAX_CART_ITEMS_PER_REQUEST } from '@asyncops/contracts';

export class AddCartItemsDto {
  @ApiProperty({
    description: `Up to ${MAX_CART_ITEMS_PER_REQUEST} major items or coupons {sku, kind: major|coupon, quantity, unitPrice?, minorItems?: [{sku, quantity, unitPrice?}]}. Prices are decimal strings; a missing price is taken from the product.`,
    type: 'array',
    items: { type: 'object' },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CART_ITEMS_PER_REQUEST)
  @ValidateNested({ each: true })
  @Type(() => CartItemInput)
  items!: CartItemInput[];
}
