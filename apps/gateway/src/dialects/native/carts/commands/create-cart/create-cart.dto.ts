import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CURRENCY_PATTERN } from '@asyncops/contracts';

export class CreateCartDto {
  @ApiProperty({ example: 'USD', pattern: CURRENCY_PATTERN.source })
  @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code in capitals, e.g. USD' })
  currency!: string;

  @ApiPropertyOptional({ example: 'po-4711', description: 'Kept as the stored payment of the order.' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  paymentMethod?: string;

  @ApiPropertyOptional({ example: 30, description: 'Payment terms in days; the invoice falls due after them (default 30).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  paymentTermDays?: number;
}
