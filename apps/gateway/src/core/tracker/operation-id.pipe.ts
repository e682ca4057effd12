import { Injectable, PipeTransform } from '@nestjs/common';
import { isUuid } from '@asyncops/domain';
import { OperationNotFoundError } from '../errors/gateway-errors';

/** A path id that is not a UUID names no operation: 404, without asking the tracker. */
@Injectable()
export class OperationIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw new OperationNotFoundError();
    return value.toLowerCase();
  }
}
