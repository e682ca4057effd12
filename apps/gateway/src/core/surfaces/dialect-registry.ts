import { Injectable } from '@nestjs/common';
import type { GatewayError, OAuthError } from '../errors/gateway-errors';

/** An error answer in a dialect's words: status, JSON body and headers, plus the code the log line names. */
export interface ErrorAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  code: string;
}

/** How one dialect answers errors; the core classifies, logs and sends, the dialect only words them. */
export interface ErrorShape {
  /** An exception a dialect route raised already in its own words, answered as it is; undefined when it is not one. */
  own?(exception: unknown, requestId: string): ErrorAnswer | undefined;
  /** A gateway error in the dialect's words; undefined leaves it to the core (problem+json, or the OAuth shape). */
  render(error: GatewayError | OAuthError, requestId: string): ErrorAnswer | undefined;
}

/** A gateway error's headers for a dialect that has no use for the core's Bearer challenge. */
export function headersWithoutChallenge(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'WWW-Authenticate'));
}

/** Routes that stream a multipart file to storage, and the cap of that file. */
export interface UploadRoutes {
  routes: readonly RegExp[];
  maxFileBytes: number;
}

/**
 * What a dialect tells the edge about itself. Routed errors take the shape of the controller's
 * dialect (see `answerErrorsIn`); `paths` covers what happens before routing: an unknown route, a
 * body that fails to parse, a request id assigned by the first middleware.
 */
export interface Dialect {
  name: string;
  /** The paths the dialect answers on, for errors and request ids before a route is known. */
  paths?: (path: string) => boolean;
  errorShape?: ErrorShape;
  /** A fresh request id in the dialect's form (the core's is a UUID). */
  newRequestId?: () => string;
  /** JSON routes whose bodies are legitimately large: they get the bulk cap instead of the small default. */
  bulkJsonRoutes?: readonly RegExp[];
  uploads?: UploadRoutes;
  /** Further paths of the OAuth token endpoint: answered in the OAuth shape, limited per address, never refused for a blocked broker. */
  tokenPaths?: readonly string[];
}

/** The core's own token endpoint. */
export const OAUTH_TOKEN_PATH = '/oauth/token';

/** The Express setting holding the registry, so helpers that see only the request can reach it. */
export const DIALECT_REGISTRY_SETTING = 'asyncops dialect registry';

/**
 * The dialects of this gateway, filled by each dialect module as it is constructed. The core asks it
 * instead of holding any dialect's paths or shapes itself.
 */
@Injectable()
export class DialectRegistry {
  private readonly dialects: Dialect[] = [];

  register(dialect: Dialect): void {
    if (this.dialects.some((d) => d.name === dialect.name)) throw new Error(`dialect ${dialect.name} is registered twice`);
    this.dialects.push(dialect);
  }

  /** The dialect whose paths hold this one, if any. */
  forPath(path: string): Dialect | undefined {
    return this.dialects.find((d) => d.paths?.(path));
  }

  isTokenPath(path: string): boolean {
    return path === OAUTH_TOKEN_PATH || this.dialects.some((d) => d.tokenPaths?.includes(path));
  }

  isBulkJsonRoute(path: string): boolean {
    return this.dialects.some((d) => d.bulkJsonRoutes?.some((r) => r.test(path)));
  }

  /** The file cap of an upload route, or undefined when the path is not one. */
  uploadCapFor(path: string): number | undefined {
    return this.dialects.find((d) => d.uploads?.routes.some((r) => r.test(path)))?.uploads?.maxFileBytes;
  }
}

/** The registry of the app serving this request (none in tests that fake a bare request). */
export function dialectsOf(req: { app?: unknown }): DialectRegistry | undefined {
  const registry = (req.app as { get?: (name: string) => unknown } | undefined)?.get?.(DIALECT_REGISTRY_SETTING);
  return registry instanceof DialectRegistry ? registry : undefined;
}
