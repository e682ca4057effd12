import { isUuid } from '@asyncops/domain';
import type { EdgeRead } from '../../../../../core/http/read-edge';
import { retryAfterFor } from '../../retry-after.interceptor';

/** The canonical form only: other spellings Express would also route (case, trailing slash, escapes) go to the router. */
const PATH = /^\/api\/v1\/operations\/([0-9A-Fa-f-]{36})$/;

/**
 * `GET /api/v1/operations/{id}`, answered by the read edge from the view cache exactly as
 * GetOperationController answers it: the view itself, Retry-After while it is unfinished
 * (RetryAfterInterceptor's rule). With `?wait=N` only for a finished view: the controller's
 * long-poll answers that at once with the same view (a client following a placement that the
 * 202 already reports finished).
 */
export function getOperationEdgeRead(retryAfterSeconds: number): EdgeRead {
  return {
    template: '/api/v1/operations/:id',
    waits: true,
    operationIdOf(path) {
      const id = PATH.exec(path)?.[1];
      // OperationIdPipe's rule: a UUID, lower-cased; anything else is the routed 404.
      return id !== undefined && isUuid(id) ? id.toLowerCase() : undefined;
    },
    answer(view) {
      const retryAfter = retryAfterFor(view, retryAfterSeconds);
      return { body: view, headers: retryAfter === undefined ? undefined : { 'Retry-After': retryAfter } };
    },
  };
}
