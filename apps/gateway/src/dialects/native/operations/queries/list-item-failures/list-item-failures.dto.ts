import { PageCursorQuery, PageLimitQuery } from '../../../../../core/http/paging';

export const DEFAULT_FAILURES_LIMIT = 100;
export const MAX_FAILURES_LIMIT = 1000;

export class ListItemFailuresQueryDto {
  @PageLimitQuery(MAX_FAILURES_LIMIT, DEFAULT_FAILURES_LIMIT)
  limit: number = DEFAULT_FAILURES_LIMIT;

  @PageCursorQuery(40)
  cursor?: string;
}
