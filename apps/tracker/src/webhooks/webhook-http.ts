import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ForbiddenTargetError } from '@asyncops/platform';

/**
 * What a failed attempt records: a class, never the socket error itself, so the delivery log a
 * client can read does not tell open ports from closed ones or name internal addresses.
 */
export type FailureClass = 'forbidden_target' | 'dns_failed' | 'connect_failed' | 'tls_failed' | 'timeout' | 'aborted' | 'send_failed';

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  lookup: LookupFunction;
}

/**
 * One POST, no redirects followed (a 3xx is the receiver's answer, recorded and retried like any
 * other non-2xx), the host resolved through `lookup` so the socket connects to the very address
 * that was checked. Answers the status code or the class of failure.
 */
export function postOnce(url: string, body: string, options: PostOptions): Promise<number | FailureClass> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: number | FailureClass) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const target = new URL(url);
    const requestOptions: RequestOptions = {
      method: 'POST',
      headers: { ...options.headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: options.lookup,
      // No connection reuse: every attempt resolves and checks afresh.
      agent: false,
    };
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, requestOptions, (res) => {
      // The receiver's body is never used; dropping it frees the socket at once.
      res.resume();
      done(res.statusCode ?? 0);
      req.destroy();
    });
    const timer = setTimeout(() => {
      done('timeout');
      req.destroy();
    }, options.timeoutMs);
    const onAbort = () => {
      done('aborted');
      req.destroy();
    };
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => done(classify(e)));
    req.end(body);
  });
}

function classify(e: NodeJS.ErrnoException): FailureClass {
  if (e instanceof ForbiddenTargetError || e.code === 'EFORBIDDENTARGET') return 'forbidden_target';
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.code === 'ENODATA') return 'dns_failed';
  if (e.code === 'ECONNREFUSED' || e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' || e.code === 'ECONNRESET' || e.code === 'EADDRNOTAVAIL') return 'connect_failed';
  if (e.code === 'ETIMEDOUT') return 'timeout';
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(e.code ?? '')) return 'tls_failed';
  return 'send_failed';
}

/** The recorded error of an attempt: the failure class, or the status class of a non-2xx answer. */
export function outcomeClass(result: number | FailureClass): string {
  if (typeof result === 'string') return result;
  return `http_${Math.floor(result / 100)}xx`;
}
