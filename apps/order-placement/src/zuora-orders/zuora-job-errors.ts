/**
 * Why an accepted Zuora job failed. `code` is a Zuora-style 8-digit code (README, "Zuora error
 * codes"); it reaches the client in GET /v1/async-jobs/{jobId} and the tracker's errors[].key.
 */
export class ZuoraJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ZuoraJobError';
  }
}

/** 50000040: an account or product the order names does not exist. */
export const ZUORA_NOT_FOUND = '50000040';
/** 53100020: a value the order carries is not acceptable (inactive product, no price...). */
export const ZUORA_INVALID_VALUE = '53100020';
/** 53100030: the order breaks a rule (account and new account together, payment without billing). */
export const ZUORA_RULE_RESTRICTION = '53100030';
/** 50000060: the job could not be completed for a reason inside the service. */
export const ZUORA_INTERNAL = '50000060';
