/**
 * A query Salesforce would refuse: `errorCode` is Salesforce's code for the condition
 * (MALFORMED_QUERY, INVALID_FIELD, …) and the message its text, so a surface answers it in its
 * own error shape unchanged.
 */
export class SoqlError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'SoqlError';
  }
}
