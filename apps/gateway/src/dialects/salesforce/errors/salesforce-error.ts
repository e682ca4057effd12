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
