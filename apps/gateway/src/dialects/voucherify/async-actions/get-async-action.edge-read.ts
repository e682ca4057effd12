import type { EdgeRead } from '../../../core/http/read-edge';
import { originOf } from '../../../core/http/request-context';
import { toOperationId } from '../async-action-id';
import { isAsyncAction, toAsyncAction } from './async-action-view';

/** The canonical form only (the ids this API issues): other spellings Express would also route go to the router. */
const PATH = /^\/v1\/async-actions\/(aa_[0-9a-f]{32})$/;

/**
 * `GET /v1/async-actions/{id}` (@voucherify/sdk's `asyncActions.get`) answered by the read edge from
 * the view cache exactly as AsyncActionsController.get answers it. The body names the origin the
 * client used (a finished import's report link), so the answer is computed per origin. An operation
 * that is no async action goes to the router, for the routed 404 in Voucherify's shape.
 */
export const getAsyncActionEdgeRead: EdgeRead = {
  template: '/v1/async-actions/:id',
  operationIdOf(path) {
    const id = PATH.exec(path)?.[1];
    return id === undefined ? undefined : toOperationId(id);
  },
  variantOf: originOf,
  answer: (view, origin) => (isAsyncAction(view) ? { body: toAsyncAction(view, origin) } : undefined),
};
