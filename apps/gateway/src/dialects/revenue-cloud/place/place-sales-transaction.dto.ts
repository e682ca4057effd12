import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { MAX_SALES_TRANSACTION_LINES, NestedList, RequiredNested } from '@asyncops/contracts';

export class GraphRecordDto {
  @ApiProperty({ example: 'refOrder' })
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, { message: 'referenceId must start with a letter and hold only letters, digits and underscores (max 80)' })
  referenceId!: string;

  /** The sObject's fields; read by the place route itself, which names unknown fields. */
  @ApiProperty({ type: 'object', additionalProperties: true, example: { attributes: { type: 'Order', method: 'POST' }, CurrencyIsoCode: 'USD', ShippingCountryCode: 'US' } })
  @IsObject()
  record!: Record<string, unknown>;
}

export class SalesGraphDto {
  @ApiProperty({ example: 'graph-1' })
  @IsString()
  @Length(1, 80)
  graphId!: string;

  @ApiProperty({ type: [GraphRecordDto] })
  @NestedList(() => GraphRecordDto, { min: 2, max: MAX_SALES_TRANSACTION_LINES + 1 })
  records!: GraphRecordDto[];
}

/** Revenue Cloud's place request: the sales transaction as an sObject graph. */
export class PlaceSalesTransactionDto {
  @ApiPropertyOptional({ enum: ['System', 'Force'], default: 'System', description: 'Both price from the price book; Skip is not offered' })
  @IsOptional()
  @IsIn(['System', 'Force'])
  pricingPref?: string;

  @ApiProperty({ type: SalesGraphDto })
  @RequiredNested(() => SalesGraphDto)
  graph!: SalesGraphDto;
}
