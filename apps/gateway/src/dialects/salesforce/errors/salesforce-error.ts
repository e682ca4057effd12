import { GatewayError, OAuthError } from '../../../core/errors/gateway-errors';
import { ErrorShape, headersWithoutChallenge } from '../../../core/surfaces/dialect-registry';

/** One entry of Salesforce's REST error array. */
export interface SalesforceErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

/**
 * An error answered in Salesforce's shape (`[{message, errorCode, fields?}]`). `errorCode` is the
 * stable code Salesforce uses for the same condition, so client libraries branch on it unchanged.
 */
export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }

  get body(): SalesforceErrorBody[] {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

export const resourceNotFound = () => new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const entityIsDeleted = () => new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');

export const malformedId = (object: string, id: string) => new SalesforceApiError(400, 'MALFORMED_ID', `${object} ID: id value of incorrect type: ${id}`, ['Id']);

export const notAnId = (id: string) => new SalesforceApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${id}`);

export const invalidSession = () => new SalesforceApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

/** Prefix of every route answered in Salesforce's error shape. */
export const SALESFORCE_DATA_PATH = '/services/data';

export function isSalesforcePath(path: string): boolean {
  return path === SALESFORCE_DATA_PATH || path.startsWith(`${SALESFORCE_DATA_PATH}/`);
}

/** The gateway's typed errors in Salesforce's words, for routes under /services/data. */
export function toSalesforceError(error: GatewayError, requestId: string): SalesforceApiError {
  if (error.status === 401) return new SalesforceApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  if (error.status === 404) return new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (error.status === 500) {
    return new SalesforceApiError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred. Please include this ErrorId if you contact support: ${requestId}`);
  }
  if (error.status > 500) return new SalesforceApiError(error.status, 'SERVER_UNAVAILABLE', error.message);
  return new SalesforceApiError(error.status, error.status === 400 ? 'BAD_REQUEST' : error.code, error.message);
}

/**
 * Salesforce clients parse `[{message, errorCode}]` only. Token errors keep the OAuth shape,
 * which Salesforce's own token endpoint uses too.
 */
export const salesforceErrorShape: ErrorShape = {
  own: (exception) => (exception instanceof SalesforceApiError ? { status: exception.status, body: exception.body, code: exception.errorCode } : undefined),
  render: (error, requestId) => {
    if (error instanceof OAuthError) return undefined;
    const sf = toSalesforceError(error, requestId);
    return { status: sf.status, body: sf.body, headers: headersWithoutChallenge(error.headers), code: sf.errorCode };
  },
};
