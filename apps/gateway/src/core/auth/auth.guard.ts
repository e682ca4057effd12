import { CanActivate, ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PUBLIC_ROUTE } from '@asyncops/platform';
import { AuthenticationRequiredError, InvalidTokenError } from '../errors/gateway-errors';
import { setClientId } from '../http/request-context';
import { AppKeyVerifier } from './app-key-verifier';
import { AuthThrottle } from './auth-throttle';
import { callerIpOf } from '../http/caller-ip';
import { ClientRegistry } from './client-registry';
import { TokenRejectedError, TokenService } from './token.service';

export const AUTH_REALM = 'asyncops';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * The client a Bearer Authorization header authenticates, or the error the guard answers with.
 * Shared by the guard and the read edge (which serves only what this accepts).
 */
export function checkBearer(header: string | undefined, tokens: TokenService, clients: ClientRegistry): { clientId: string } | { error: Error } {
  // RFC 6750 §3.1: a request with no bearer credentials at all gets a challenge without an error code.
  if (!header || !/^Bearer(\s|$)/i.test(header)) return { error: new AuthenticationRequiredError(AUTH_REALM) };
  const match = BEARER.exec(header);
  if (!match) return { error: new InvalidTokenError(AUTH_REALM, 'the Authorization header must be "Bearer <token>"') };
  let clientId: string;
  try {
    clientId = tokens.verify(match[1]).sub;
  } catch (e) {
    if (e instanceof TokenRejectedError) return { error: new InvalidTokenError(AUTH_REALM, e.reason) };
    throw e;
  }
  // A client removed from AUTH_CLIENTS loses access at once, not when its tokens expire.
  if (!clients.find(clientId)) return { error: new InvalidTokenError(AUTH_REALM, 'the client is no longer registered') };
  return { clientId };
}

/**
 * The X-App-Id / X-App-Token pair a request authenticates with: Voucherify clients (@voucherify/sdk)
 * send the same clients' id and secret this way. Undefined when the request has an Authorization
 * header (it takes precedence) or neither X-App header. Shared by the guard and the read edge.
 */
export function appKeysOf(req: Request): { appId: unknown; appToken: unknown } | undefined {
  if (req.headers.authorization) return undefined;
  const appId = req.headers['x-app-id'];
  const appToken = req.headers['x-app-token'];
  return appId !== undefined || appToken !== undefined ? { appId, appToken } : undefined;
}

/** The pair as strings the verifier may check, or the error the guard answers with. */
export function checkAppKeyShape(appId: unknown, appToken: unknown): { appId: string; appToken: string } | { error: Error } {
  if (typeof appId !== 'string' || typeof appToken !== 'string' || !appId || !appToken || appId.length > 255 || appToken.length > 1024) {
    return { error: new InvalidTokenError(AUTH_REALM, 'X-App-Id and X-App-Token must both be given') };
  }
  return { appId, appToken };
}

/**
 * Applied to every route: the secure default means a new route is protected unless someone
 * deliberately marks it @PublicRoute().
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly appKeys: AppKeyVerifier;

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly clients: ClientRegistry,
    @Optional() private readonly throttle?: AuthThrottle,
    @Optional() appKeys?: AppKeyVerifier,
  ) {
    this.appKeys = appKeys ?? new AppKeyVerifier(clients);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;

    const req = context.switchToHttp().getRequest<Request>();
    const appKeys = appKeysOf(req);
    if (appKeys) return this.checkAppKeys(req, appKeys.appId, appKeys.appToken);
    const outcome = checkBearer(req.headers.authorization, this.tokens, this.clients);
    if ('error' in outcome) throw outcome.error;
    setClientId(req, outcome.clientId);
    return true;
  }

  private async checkAppKeys(req: Request, rawId: unknown, rawToken: unknown): Promise<boolean> {
    const shaped = checkAppKeyShape(rawId, rawToken);
    if ('error' in shaped) throw shaped.error;
    const { appId, appToken } = shaped;
    const throttle = this.throttle;
    const ip = callerIpOf(req);
    const clientId = await this.appKeys.verify(appId, appToken, throttle && (() => throttle.admitCheck(ip, appId)));
    if (!clientId) throw new InvalidTokenError(AUTH_REALM, 'X-App-Id or X-App-Token is invalid');
    setClientId(req, clientId);
    return true;
  }
}
