import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class PlaceCartDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Reprice items whose prices are older than the price book (ALLOW_PRICING_ON_ASYNC_ORDER); without it such a cart fails to place.',
  })
  @IsOptional()
  @IsBoolean()
  allowRepricing?: boolean;
}
