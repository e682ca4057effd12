import { Injectable, PipeTransform } from '@nestjs/common';
import { isUuid } from '@asyncops/domain';
import { NotFoundError } from '../errors/gateway-errors';

/** A path id that is not a UUID names no webhook: 404, without asking the tracker. */
@Injectable()
export class WebhookIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw new NotFoundError('The webhook does not exist.');
    return value.toLowerCase();
  }
}
