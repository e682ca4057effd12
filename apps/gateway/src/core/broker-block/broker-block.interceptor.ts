import { CallHandler, ExecutionContext, Injectable, Module, NestInterceptor } from '@nestjs/common';
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { AmqpConnection } from '@asyncops/messaging';
import { PUBLIC_ROUTE } from '@asyncops/platform';
import { GatewayConfig } from '../../config';
import { ServiceUnavailableError } from '../errors/gateway-errors';
import { DialectRegistry } from '../surfaces/dialect-registry';

/**
 * While the broker blocks publishers (a memory or disk alarm), every route that needs the
 * broker is refused at once with 503 + Retry-After in its surface's error shape, before any
 * other work (idempotency records, body streaming). Health, API docs and the token endpoints
 * need no broker and keep answering. Requests already waiting on a reply when the block starts
 * are failed by the RPC client itself.
 */
@Injectable()
export class BrokerBlockInterceptor implements NestInterceptor {
  constructor(
    private readonly connection: AmqpConnection,
    private readonly reflector: Reflector,
    private readonly config: GatewayConfig,
    private readonly dialects: DialectRegistry = new DialectRegistry(),
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const blocked = this.connection.blocked;
    if (blocked === undefined || context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    if (isPublic || this.dialects.isTokenPath(req.path)) return next.handle();
    throw new ServiceUnavailableError(this.config.RETRY_AFTER_SECONDS, new Error(`broker blocked: ${blocked}`));
  }
}

@Module({ providers: [{ provide: APP_INTERCEPTOR, useClass: BrokerBlockInterceptor }] })
export class BrokerBlockModule {}
