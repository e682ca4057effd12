import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { clientIdOf } from '../http/request-context';

/**
 * The id of the client the bearer token was issued to; it is the owner id of every record the
 * client creates or reads. Only meaningful on routes the auth guard protects.
 */
export const AuthenticatedClientId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const clientId = clientIdOf(ctx.switchToHttp().getRequest<Request>());
  if (!clientId) throw new Error('AuthenticatedClientId used on a route that is not authenticated');
  return clientId;
});
