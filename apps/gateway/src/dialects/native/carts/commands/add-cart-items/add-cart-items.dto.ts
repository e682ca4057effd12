import { ApiProperty } from '@nestjs/swagger';
import { CartItemInput, MAX_CART_ITEMS_PER_REQUEST, NestedList } from '@asyncops/contracts';

export class AddCartItemsDto {
  @ApiProperty({
    description: `Up to ${MAX_CART_ITEMS_PER_REQUEST} major items or coupons {sku, kind: major|coupon, quantity, unitPrice?, minorItems?: [{sku, quantity, unitPrice?}]}. Prices are decimal strings; a missing price is taken from the product.`,
    type: 'array',
    items: { type: 'object' },
  })
  @NestedList(() => CartItemInput, { max: MAX_CART_ITEMS_PER_REQUEST })
  items!: CartItemInput[];
}
