import type { Type as ClassType } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { type Page, stacked } from '@asyncops/contracts';
import { originOf } from './request-context';

export interface PageResponse<T> {
  data: T[];
  nextCursor: string | null;
  hasMore: boolean;
}

/** The OpenAPI model of a page of `item`s; a subclass names it (`class FooPageDoc extends PageDoc(FooDoc) {}`). */
export function PageDoc<T>(item: ClassType<T>) {
  class PageDocOf implements PageResponse<T> {
    @ApiProperty({ type: [item] })
    data!: T[];

    @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` to get the next page.' })
    nextCursor!: string | null;

    @ApiProperty()
    hasMore!: boolean;
  }
  return PageDocOf;
}

/**
 * Turns a tracker page into the native page shape and, when there is more, adds an RFC 8288
 * `Link: <...>; rel="next"` pointing at the same query with the next cursor.
 */
export function sendPage<T>(req: Request, res: Response, page: Page<T>): PageResponse<T> {
  if (page.nextCursor) res.setHeader('Link', `<${nextPageUrl(req, page.nextCursor)}>; rel="next"`);
  return { data: page.items, nextCursor: page.nextCursor, hasMore: page.nextCursor !== null };
}

export function nextPageUrl(req: Request, cursor: string): string {
  // Built by hand rather than with new URL(originalUrl, origin): a path starting with `//` would
  // otherwise be read as another host.
  const q = req.originalUrl.indexOf('?');
  const path = q < 0 ? req.originalUrl : req.originalUrl.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : req.originalUrl.slice(q + 1));
  params.set('cursor', cursor);
  return `${originOf(req)}${path}?${params.toString()}`;
}

/** A list query's `limit`: a page size from 1 to `max`; give the property `byDefault` as its initial value. */
export const PageLimitQuery = (max: number, byDefault: number): PropertyDecorator =>
  stacked(ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: max, default: byDefault }), Type(() => Number), IsInt(), Min(1), Max(max));

/** A list query's `cursor`: the previous page's `nextCursor`, passed back unchanged. */
export const PageCursorQuery = (maxLength: number): PropertyDecorator =>
  stacked(ApiPropertyOptional({ description: 'Opaque cursor from the previous page (`nextCursor`).', maxLength }), IsOptional(), IsString(), Length(1, maxLength));
