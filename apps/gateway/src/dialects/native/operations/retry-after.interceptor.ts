import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, tap } from 'rxjs';
import { isTerminalStatus } from '@asyncops/domain';
import { GatewayConfig } from '../../../config';

/** Tells pollers when to look again whenever a route answers with a single unfinished operation. */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  constructor(private readonly config: GatewayConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      tap((body) => {
        const status = body && typeof body === 'object' ? (body as { status?: unknown }).status : undefined;
        if (typeof status === 'string' && !isTerminalStatus(status) && !res.headersSent) {
          res.setHeader('Retry-After', String(this.config.RETRY_AFTER_SECONDS));
        }
      }),
    );
  }
}
