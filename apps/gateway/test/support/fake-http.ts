import type { ArgumentsHost } from '@nestjs/common';
import type { Request, Response } from 'express';
import { JsonLogger } from '@asyncops/platform';
import { ProblemFilter } from '../../src/core/errors/problem.filter';
import type { DialectRegistry, ErrorShape } from '../../src/core/surfaces/dialect-registry';

export interface Sent {
  status?: number;
  type?: string;
  body?: string;
  headers: Record<string, string>;
  destroyed?: boolean;
}

/** A request and response just real enough for an exception filter, recording what is sent. */
export function fakeHttp(path = '/api/v1/operations/x', method = 'GET', headers: Record<string, string> = {}) {
  const sent: Sent = { headers: {} };
  const req = { path, method, originalUrl: `${path}?a=1`, headers } as unknown as Request;
  const res = {
    headersSent: false,
    setHeader: (k: string, v: string) => (sent.headers[k.toLowerCase()] = v),
    getHeader: (k: string) => sent.headers[k.toLowerCase()],
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(t: string) {
      sent.type = t;
      return this;
    },
    send(b: string) {
      sent.body = b;
      return this;
    },
    json(b: unknown) {
      sent.type = 'application/json';
      sent.body = JSON.stringify(b);
      return this;
    },
    destroy: () => (sent.destroyed = true),
  } as unknown as Response;
  const host = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
  return { sent, host, res };
}

/** A ProblemFilter over a fake request: render(exception, path, method, headers) → what was sent, body parsed. */
export function problemRenderer(dialects?: DialectRegistry, scopedShape?: ErrorShape) {
  const lines: Array<Record<string, unknown>> = [];
  const filter = new ProblemFilter(new JsonLogger('gateway', 'debug', (l) => lines.push(JSON.parse(l))), { retryAfterSeconds: 3 }, dialects, scopedShape);
  const render = (exception: unknown, path?: string, method?: string, headers?: Record<string, string>) => {
    const { sent, host } = fakeHttp(path, method, headers);
    filter.catch(exception, host);
    return { sent, body: sent.body ? JSON.parse(sent.body) : undefined };
  };
  return { filter, lines, render };
}
