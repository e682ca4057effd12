import { createHmac } from 'node:crypto';
import { Controller, HttpCode, Injectable, Optional, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ContextLogger, JsonLogger, PublicRoute } from '@asyncops/platform';
import { OAuthError } from '../errors/gateway-errors';
import { ensureRequestId, originOf } from '../http/request-context';
import { AUTH_REALM } from './auth.guard';
import { AuthThrottle, CredentialBudgetExceededError, SettleCheck } from './auth-throttle';
import { callerIpOf } from '../http/caller-ip';
import { ClientRegistry } from './client-registry';
import { OAuthErrorDoc, TokenRequestDoc, TokenResponse, TokenResponseDoc } from './token.dto';
import { TokenService } from './token.service';

const MAX_PARAM_LENGTH = 1024;

interface ClientCredentials {
  clientId: string;
  secret: string;
  viaBasic: boolean;
}

/**
 * OAuth 2.0 client credentials grant (RFC 6749 §4.4). The core serves it at /oauth/token; a
 * dialect whose clients log in on a path of their own extends this with a route there.
 */
@Injectable()
export abstract class TokenEndpoint {
  private readonly log: ContextLogger;

  constructor(
    private readonly clients: ClientRegistry,
    private readonly tokens: TokenService,
    logger: JsonLogger,
    @Optional() private readonly throttle?: AuthThrottle,
  ) {
    this.log = logger.child('TokenController');
  }

  protected async issue(req: Request, res: Response): Promise<TokenResponse> {
    const params = readParams(req);
    const grantType = params.get('grant_type');
    if (grantType === undefined) throw new OAuthError(400, 'invalid_request', 'grant_type is required; use grant_type=client_credentials');
    if (grantType !== 'client_credentials') {
      throw new OAuthError(400, 'unsupported_grant_type', 'grant type not supported; use grant_type=client_credentials');
    }
    const credentials = readCredentials(req, params);
    const settle = this.admit(req, credentials.clientId);
    let client: Awaited<ReturnType<ClientRegistry['authenticate']>> = null;
    try {
      client = await this.clients.authenticate(credentials.clientId, credentials.secret);
    } finally {
      settle?.(client !== null);
    }
    if (!client) {
      this.log.warn({
        msg: 'client authentication failed',
        event: 'token-refused',
        requestId: ensureRequestId(req),
        clientId: credentials.clientId.slice(0, 100),
      });
      throw invalidClient(credentials.viaBasic, 'invalid client credentials');
    }
    const issued = this.tokens.issue(client.clientId);
    this.log.info({
      msg: 'access token issued',
      event: 'token-issued',
      requestId: ensureRequestId(req),
      clientId: client.clientId,
      jti: issued.claims.jti,
      expiresAt: new Date(issued.claims.exp * 1000).toISOString(),
    });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    const origin = originOf(req);
    const id = `${origin}/id/${AUTH_REALM}/${encodeURIComponent(client.clientId)}`;
    const issuedAt = String(issued.issuedAtMs);
    return {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      issued_at: issuedAt,
      instance_url: origin,
      id,
      signature: createHmac('sha256', credentials.secret).update(id + issuedAt).digest('base64'),
    };
  }

  /** The failure budgets, checked before the secret is derived; OAuth's 429 when spent. */
  private admit(req: Request, clientId: string): SettleCheck | undefined {
    if (!this.throttle) return undefined;
    const ip = callerIpOf(req);
    try {
      return this.throttle.admitCheck(ip, clientId);
    } catch (e) {
      if (!(e instanceof CredentialBudgetExceededError)) throw e;
      this.log.warn({ msg: 'token request refused before authentication', event: 'token-throttled', requestId: ensureRequestId(req), clientId: clientId.slice(0, 100) });
      throw new OAuthError(429, 'temporarily_unavailable', e.message, e.headers);
    }
  }
}

@ApiTags('auth')
@Controller()
@PublicRoute()
export class TokenController extends TokenEndpoint {
  @Post('oauth/token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Get an access token (OAuth 2.0 client credentials)', operationId: 'issueToken' })
  @TokenDocs()
  issueToken(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    return this.issue(req, res);
  }
}

/** The OpenAPI description shared by every token route. */
export function TokenDocs(): MethodDecorator {
  return (target, key, descriptor) => {
    ApiConsumes('application/x-www-form-urlencoded', 'application/json')(target, key, descriptor);
    ApiBody({ type: TokenRequestDoc })(target, key, descriptor);
    ApiOkResponse({ type: TokenResponseDoc, description: 'A bearer token for the client.' })(target, key, descriptor);
    ApiBadRequestResponse({ type: OAuthErrorDoc, description: 'Missing or unsupported grant type, or (credentials in the body) invalid client.' })(
      target,
      key,
      descriptor,
    );
    ApiUnauthorizedResponse({ type: OAuthErrorDoc, description: 'Invalid client credentials sent with HTTP Basic authentication.' })(target, key, descriptor);
  };
}

/** Form and JSON bodies alike; RFC 6749 §3.2 forbids repeating a parameter. */
function readParams(req: Request): Map<string, string> {
  const body: unknown = req.body;
  const params = new Map<string, string>();
  if (body === undefined || body === null) {
    if (Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding']) {
      throw new OAuthError(400, 'invalid_request', 'send the parameters as application/x-www-form-urlencoded or application/json');
    }
    return params;
  }
  if (typeof body !== 'object' || Array.isArray(body)) throw new OAuthError(400, 'invalid_request', 'the request body must be an object of parameters');
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      throw new OAuthError(400, 'invalid_request', `parameter ${name} must be given once, as a string`);
    }
    if (value.length > MAX_PARAM_LENGTH) throw new OAuthError(400, 'invalid_request', `parameter ${name} is too long`);
    params.set(name, value);
  }
  return params;
}

/** RFC 6749 §2.3.1: HTTP Basic (id and secret form-urlencoded first) or client_id/client_secret in the body. */
function readCredentials(req: Request, params: Map<string, string>): ClientCredentials {
  const header = req.headers.authorization;
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  if (header && /^Basic(\s|$)/i.test(header)) {
    const basic = parseBasic(header);
    if (!basic) throw invalidClient(true, 'the Basic authorization header is malformed');
    if (bodySecret !== undefined) throw new OAuthError(400, 'invalid_request', 'send the client credentials either with HTTP Basic or in the body, not both');
    if (bodyId !== undefined && bodyId !== basic.clientId) throw new OAuthError(400, 'invalid_request', 'client_id does not match the Basic credentials');
    return { ...basic, viaBasic: true };
  }
  if (!bodyId || !bodySecret) {
    throw invalidClient(false, 'client authentication is required: send client_id and client_secret, or use HTTP Basic authentication');
  }
  return { clientId: bodyId, secret: bodySecret, viaBasic: false };
}

function parseBasic(header: string): { clientId: string; secret: string } | null {
  const m = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  return clientId && secret ? { clientId, secret } : null;
}

/**
 * Many clients skip the form-encoding step RFC 6749 asks for, so `+` is kept (secrets are often
 * base64) and a value that does not percent-decode is taken as is.
 */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** RFC 6749 §5.2: 401 with a Basic challenge when the client used the Authorization header. */
function invalidClient(viaBasic: boolean, description: string): OAuthError {
  return viaBasic
    ? new OAuthError(401, 'invalid_client', description, { 'WWW-Authenticate': `Basic realm="${AUTH_REALM}"` })
    : new OAuthError(400, 'invalid_client', description);
}
