import type { Request } from 'express';
import { isUuid } from '@asyncops/domain';
import type { EdgeRead } from '../../../../../core/http/read-edge';
import { sendZuoraJson } from '../../../http/zuora-response';
import { isZuoraJob, toZuoraJob } from './get-job.controller';

/** The canonical form only: other spellings Express would also route go to the router. */
const PATH = /^\/v1\/async-jobs\/([0-9A-Fa-f-]{36})$/;

/**
 * `GET /v1/async-jobs/{jobId}` answered by the read edge from the view cache exactly as
 * GetJobController answers it (the same body and writer). A request carrying Zuora-Track-Id goes to
 * the router, whose TrackIdMiddleware checks and echoes it; an operation that is not a Zuora job
 * too, for the routed 404 in Zuora's shape.
 */
export const getJobEdgeRead: EdgeRead = {
  template: '/v1/async-jobs/:jobId',
  operationIdOf(path) {
    const id = PATH.exec(path)?.[1];
    return id !== undefined && isUuid(id) ? id : undefined;
  },
  accepts: (req: Request) => req.headers['zuora-track-id'] === undefined,
  answer: (view) => (isZuoraJob(view) ? { body: toZuoraJob(view) } : undefined),
  send: (req, res, answer) => sendZuoraJson(req, res, 200, answer.body),
};
