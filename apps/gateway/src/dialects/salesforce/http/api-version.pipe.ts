import { Injectable, PipeTransform } from '@nestjs/common';
import { resourceNotFound } from '../errors/salesforce-error';

/** The oldest REST API version this surface answers; AsyncOperationTracker needs a recent one. */
export const MIN_API_VERSION = 59;

/**
 * `v60.0` → `60.0`. Salesforce answers an unknown or retired version with its plain 404, so a
 * malformed or older version gets exactly that.
 */
@Injectable()
export class ApiVersionPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || value.length < 4 || value.length > 7 || value[0] !== 'v') throw resourceNotFound();
    const [major, minor, ...rest] = value.slice(1).split('.');
    const digits = (s: string | undefined) => s !== undefined && s.length > 0 && [...s].every((c) => c >= '0' && c <= '9');
    if (rest.length || !digits(major) || !digits(minor) || minor.length !== 1 || major.length > 3 || major[0] === '0') throw resourceNotFound();
    if (Number(major) < MIN_API_VERSION) throw resourceNotFound();
    return `${major}.${minor}`;
  }
}
