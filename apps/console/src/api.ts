import type { Operation, Page } from './types';

/** An error answer of the API, with the message a person can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Session {
  clientId: string;
  token: string;
  expiresAt: number;
}

/** Reads the most useful sentence of any of the gateway's error shapes. */
async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const errors = body.errors as Array<{ field?: string; message?: string }> | undefined;
    if (Array.isArray(errors) && errors.length) return errors.map((e) => e.message ?? e.field).join('; ');
    for (const k of ['detail', 'error_description', 'message', 'title']) if (typeof body[k] === 'string') return body[k] as string;
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || `${res.status} ${res.statusText}`;
}

/** Client credentials → a session; the token lives in memory only (never in storage). */
export async function signIn(clientId: string, clientSecret: string): Promise<Session> {
  const res = await fetch('/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  if (!res.ok) {
    const body = (await res
      .clone()
      .json()
      .catch(() => ({}))) as { error?: string };
    throw new ApiError(res.status, body.error === 'invalid_client' ? 'Client id or secret is wrong.' : await errorMessage(res));
  }
  const body = (await res.json()) as { access_token: string; expires_in: number };
  return { clientId, token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
}

/** The native API with the session's Bearer token; a 401 ends the session. */
export class Api {
  constructor(
    readonly session: Session,
    private readonly onUnauthorized: () => void,
  ) {}

  get authorization(): string {
    return `Bearer ${this.session.token}`;
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', this.authorization);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    const res = await fetch(path, { ...init, headers });
    if (res.status === 401) {
      this.onUnauthorized();
      throw new ApiError(401, 'Your session has ended; sign in again.');
    }
    if (!res.ok) throw new ApiError(res.status, await errorMessage(res));
    return res;
  }

  async json<T>(path: string, init?: RequestInit): Promise<T> {
    return (await this.request(path, init)).json() as Promise<T>;
  }

  listOperations(query: URLSearchParams, limit: number, cursor?: string | null): Promise<Page<Operation>> {
    const q = new URLSearchParams(query);
    q.set('limit', String(limit));
    if (cursor) q.set('cursor', cursor);
    return this.json<Page<Operation>>(`/api/v1/operations?${q.toString()}`);
  }

  getOperation(id: string): Promise<Operation> {
    return this.json<Operation>(`/api/v1/operations/${encodeURIComponent(id)}`);
  }

  async cancel(id: string): Promise<void> {
    await this.request(`/api/v1/operations/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
  }
}

/** Voucherify's async action id of an operation: `aa_` + the uuid's 32 hex digits. */
export function toAsyncActionId(operationId: string): string {
  return `aa_${operationId.replace(/-/g, '').toLowerCase()}`;
}

/** The operation id of an async action id, or undefined for any other string. */
export function fromAsyncActionId(id: string): string | undefined {
  const m = /^aa_([0-9a-f]{32})$/.exec(id);
  if (!m) return undefined;
  const h = m[1];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Import and bulk actions (Voucherify async actions) keep a report of their failed rows for a while. */
export function hasFailureReport(op: Pick<Operation, 'failedJobItems' | 'result' | 'producer'>, now = Date.now()): boolean {
  if (op.producer !== 'importer' || op.failedJobItems <= 0) return false;
  const till = op.result?.['reports_available_till'];
  return typeof till === 'string' && Date.parse(till) > now;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

export const CSV_IMPORTS = [
  { value: 'vouchers', label: 'Vouchers', path: '/v1/vouchers/importCSV' },
  { value: 'campaign', label: 'Vouchers of a campaign', path: '/v1/campaigns/{campaignId}/importCSV' },
  { value: 'customers', label: 'Customers', path: '/v1/customers/importCSV' },
  { value: 'products', label: 'Products', path: '/v1/products/importCSV' },
  { value: 'skus', label: 'SKUs', path: '/v1/skus/importCSV' },
] as const;

/**
 * Uploads a CSV as the multipart field `file` with XMLHttpRequest (fetch reports no upload
 * progress), under a fresh Idempotency-Key so a retried upload never starts a second import.
 */
export function uploadCsv(
  api: Api,
  path: string,
  file: File,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<{ operationId: string; asyncActionId: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('authorization', api.authorization);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('idempotency-key', newKey());
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onerror = () => reject(new ApiError(0, 'The upload was interrupted (network error).'));
    xhr.onabort = () => reject(new ApiError(0, 'The upload was cancelled.'));
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        // handled below
      }
      if (xhr.status === 202 && typeof body.async_action_id === 'string') {
        const operationId = fromAsyncActionId(body.async_action_id);
        if (operationId) return resolve({ operationId, asyncActionId: body.async_action_id });
      }
      const details = body.details ?? body.message ?? xhr.statusText;
      reject(new ApiError(xhr.status, `The import was refused (${xhr.status}): ${String(details)}`));
    };
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

function newKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = c.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Saves a response body as a file the browser downloads. */
export async function download(res: Response, fallbackName: string): Promise<void> {
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
