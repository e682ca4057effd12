import { Injectable, PipeTransform } from '@nestjs/common';
import { isUuid } from '@asyncops/domain';
import { NotFoundError } from '../../core/errors/gateway-errors';

/** A cart or order id that is not a UUID names nothing: 404 without a round trip. */
@Injectable()
export class ResourceIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw new NotFoundError();
    return value.toLowerCase();
  }
}
