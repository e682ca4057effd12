import { randomBytes } from 'node:crypto';
import { FieldError, GatewayError, OAuthError } from '../../core/errors/gateway-errors';
import { ErrorShape, headersWithoutChallenge } from '../../core/surfaces/dialect-registry';

/** Voucherify's error body: https://docs.voucherify.io/reference/errors */
export interface VoucherifyErrorBody {
  code: number;
  key: string;
  message: string;
  details: string;
  request_id: string;
}

/** Paths of the Voucherify surface; errors there take Voucherify's shape, everything else keeps its own. */
const VOUCHERIFY_PATH = /^\/v1\/(async-actions|vouchers|customers|products|skus|campaigns|metadata-schemas|orders\/import)(\/|$)/;

export function isVoucherifyPath(path: string): boolean {
  return VOUCHERIFY_PATH.test(path);
}

const KEYS: Record<number, [string, string]> = {
  400: ['invalid_payload', 'Invalid payload'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not_found', 'Resource not found'],
  405: ['method_not_allowed', 'Method not allowed'],
  409: ['duplicate_found', 'Duplicated resource'],
  413: ['payload_too_large', 'Payload too large'],
  415: ['unsupported_media_type', 'Unsupported media type'],
  422: ['unprocessable_entity', 'Unprocessable entity'],
  429: ['too_many_requests', 'Too many requests'],
  500: ['internal_server_error', 'Internal server error'],
  503: ['service_unavailable', 'Service unavailable'],
  504: ['gateway_timeout', 'Gateway timeout'],
};

/** @voucherify/sdk reads Voucherify's `{code, key, message, details, request_id}`; token errors keep the OAuth shape. */
export const voucherifyErrorShape: ErrorShape = {
  render: (error, requestId) =>
    error instanceof OAuthError ? undefined : { status: error.status, body: toVoucherifyError(error, requestId), headers: headersWithoutChallenge(error.headers), code: error.code },
};

/** Voucherify's own ids look like `v-0a885062c80375740f`; its SDK users grep for that form. */
export const VOUCHERIFY_REQUEST_ID = /^v-[0-9a-f]{18}$/;

export function newVoucherifyRequestId(): string {
  return `v-${randomBytes(9).toString('hex')}`;
}

/** Any gateway error in Voucherify's words; details name the field and rule when there are any. */
export function toVoucherifyError(error: GatewayError, requestId: string): VoucherifyErrorBody {
  const [key, message] = KEYS[error.status] ?? (error.status >= 500 ? KEYS[500] : KEYS[400]);
  const details =
    error.status === 401
      ? 'Invalid X-App-Id or X-App-Token (or Bearer token).'
      : error.status >= 500 && error.status !== 503 && error.status !== 504
        ? `An unexpected error occurred; request id ${requestId}.`
        : error.errors?.length
          ? error.errors.map((e) => `${e.field}: ${e.message}`).join('; ')
          : error.message;
  return { code: error.status, key, message, details, request_id: requestId };
}

export class InvalidUploadError extends GatewayError {
  constructor(field: string, rule: string, message: string) {
    const errors: FieldError[] = [{ field, rule, message }];
    super({ code: 'INVALID_UPLOAD', status: 400, title: 'Invalid upload', detail: message, errors });
  }
}

export class UploadTooLargeError extends GatewayError {
  constructor(maxBytes: number) {
    super({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
      title: 'Payload too large',
      detail: `file: the upload exceeds the limit of ${maxBytes} bytes`,
      headers: { Connection: 'close' },
    });
  }
}

export class AsyncActionNotFoundError extends GatewayError {
  constructor(id: string) {
    super({ code: 'NOT_FOUND', status: 404, title: 'Not found', detail: `Cannot find async_action with id ${id}` });
  }
}

export class ReportNotFoundError extends GatewayError {
  constructor(id: string) {
    super({ code: 'NOT_FOUND', status: 404, title: 'Not found', detail: `No report is available for async_action ${id}` });
  }
}
