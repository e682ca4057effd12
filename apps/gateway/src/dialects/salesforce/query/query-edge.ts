import type { ArgumentsHost } from '@nestjs/common';
import type { Request, Response } from 'express';
import { JsonLogger } from '@asyncops/platform';
import { GatewayConfig } from '../../../config';
import { dialectProblemFilter, ProblemFilter } from '../../../core/errors/problem.filter';
import type { EdgeCall } from '../../../core/http/read-edge';
import { DialectRegistry } from '../../../core/surfaces/dialect-registry';
import { salesforceErrorShape } from '../errors/salesforce-error';
import { ApiVersionPipe } from '../http/api-version.pipe';
import { PlannedPage, SoqlPages } from './soql-pages';

/**
 * The canonical forms of the query routes: `/services/data/vNN.N/query|queryAll` and their
 * locator pages, exactly as the router would route them (case, no trailing slash, nothing
 * percent-encoded in the version or the locator, which the router would decode first).
 */
const QUERY_PATH = /^\/services\/data\/(v[0-9.]{1,6})\/(query|queryAll)(?:\/([A-Za-z0-9_.-]{1,20000}))?$/;

/** The routes' templates as Nest registers them on Express: the metrics labels. */
const TEMPLATES = {
  query: '/services/data/:version/query',
  queryAll: '/services/data/:version/queryAll',
  queryMore: '/services/data/:version/query/:locator',
  queryAllMore: '/services/data/:version/queryAll/:locator',
} as const;

/**
 * SOQL pages from the read edge, before Nest's routing: the same SoqlPages the routed
 * QueryController uses, behind the guard's credential checks and the client's bucket that
 * ReadEdge applies, so a query costs the planner (cached by text), the call to the owning service
 * and the JSON instead of the router, guards, pipes, interceptors and rxjs as well. What the
 * routed path would refuse before calling (a bad version, no or a repeated `q`, a query the
 * planner refuses, a locator that does not verify) is left to it, so it words the refusal and
 * counts the request once; a failed call is answered by the Salesforce error filter the
 * controller is scoped to.
 */
export class QueryEdge implements EdgeCall {
  private readonly versions = new ApiVersionPipe();
  private readonly filter: ProblemFilter;

  constructor(
    private readonly pages: SoqlPages,
    logger: JsonLogger,
    config: GatewayConfig,
    dialects: DialectRegistry,
  ) {
    this.filter = new (dialectProblemFilter(salesforceErrorShape))(logger, config, dialects) as ProblemFilter;
  }

  matches(path: string): boolean {
    return path.startsWith('/services/data/v') && QUERY_PATH.test(path);
  }

  start(req: Request, clientId: string): { template: string; run(): Promise<unknown> } | undefined {
    const m = QUERY_PATH.exec(req.path);
    if (!m) return undefined;
    const [, rawVersion, resource, locator] = m;
    const all = resource === 'queryAll';
    let version: string;
    let page: PlannedPage;
    try {
      version = this.versions.transform(rawVersion);
      if (locator !== undefined) {
        page = this.pages.next(version, locator, clientId);
      } else {
        const q = (req.query as Record<string, unknown>).q;
        // Refusals of `q` are the routed path's to word.
        if (typeof q !== 'string' || q === '') return undefined;
        const options = req.headers['sforce-query-options'];
        page = this.pages.first(version, q, all, typeof options === 'string' ? options : undefined, clientId);
      }
    } catch {
      return undefined;
    }
    const template = locator !== undefined ? (all ? TEMPLATES.queryAllMore : TEMPLATES.queryMore) : all ? TEMPLATES.queryAll : TEMPLATES.query;
    return { template, run: () => page.run() };
  }

  fail(error: unknown, req: Request, res: Response): void {
    this.filter.catch(error, httpHost(req, res));
  }
}

/** What an exception filter reads of Nest's ArgumentsHost for an HTTP request. */
function httpHost(req: Request, res: Response): ArgumentsHost {
  const http = { getRequest: () => req, getResponse: () => res, getNext: () => undefined };
  const notHttp = () => {
    throw new Error('an HTTP request');
  };
  const host = { switchToHttp: () => http, getType: () => 'http', getArgs: () => [req, res], getArgByIndex: (i: number) => [req, res][i], switchToRpc: notHttp, switchToWs: notHttp };
  return host as unknown as ArgumentsHost;
}
