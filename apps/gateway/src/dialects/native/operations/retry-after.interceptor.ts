import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, tap } from 'rxjs';
import { isTerminalStatus } from '@asyncops/domain';
import { GatewayConfig } from '../../../config';

/** The Retry-After value for a body that is a single unfinished operation; undefined for anything else. */
export function retryAfterFor(body: unknown, retryAfterSeconds: number): string | undefined {
  const status = body && typeof body === 'object' ? (body as { status?: unknown }).status : undefined;
  return typeof status === 'string' && !isTerminalStatus(status) ? String(retryAfterSeconds) : undefined;
}

/** Tells pollers when to look again whenever a route answers with a single unfinished operation. */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  constructor(private readonly config: GatewayConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      tap((body) => {
        const retryAfter = retryAfterFor(body, this.config.RETRY_AFTER_SECONDS);
        if (retryAfter !== undefined && !res.headersSent) res.setHeader('Retry-After', retryAfter);
      }),
    );
  }
}
