import { oneOf } from '../internal/picklist';

/**
 * The `status` of a Zuora asynchronous job (`GET /v1/async-jobs/{jobId}`, seed 003). Zuora has no
 * queued state: a job is Processing from the moment it is accepted.
 */
export const ZUORA_JOB_STATUSES = ['Processing', 'Completed', 'Failed'] as const;

export type ZuoraJobStatus = (typeof ZUORA_JOB_STATUSES)[number];

export const isZuoraJobStatus: (x: unknown) => x is ZuoraJobStatus = oneOf(ZUORA_JOB_STATUSES);
