import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { startInProcessGateway } from '../test/support/in-process-gateway';
import { OPENAPI_JSON_PATH, OPENAPI_UI_PATH, surfaceOf } from './openapi';

interface RouteLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** Every method + path the Express router serves, paths in OpenAPI form (`:id` → `{id}`). */
function routerRoutes(app: INestApplication): Array<{ method: string; path: string }> {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: RouteLayer[] } };
  return express.router.stack.flatMap((layer) => {
    if (!layer.route) return [];
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    return paths.flatMap((p) =>
      Object.keys(layer.route?.methods ?? {})
        .filter((m) => m !== '_all')
        .map((method) => ({ method, path: p.replace(/:([A-Za-z0-9_]+)/g, '{$1}') })),
    );
  });
}

describe('the OpenAPI document', () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    let base: string;
    ({ app, base } = await startInProcessGateway({ rpc: { request: jest.fn() } }));
    document = (await (await fetch(`${base}/api/openapi.json`)).json()) as OpenAPIObject;
  });

  afterAll(async () => {
    await app?.close();
  });

  /** The document and its UI describe the API, they are not part of it. */
  const isDocumentation = (path: string) => path === `/${OPENAPI_JSON_PATH}` || path === `/${OPENAPI_UI_PATH}` || path.startsWith(`/${OPENAPI_UI_PATH}/`);
  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { tags?: string[]; 'x-surface'?: string }>)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ path, method, op })),
    );

  it('describes every route the router serves, vendor surfaces included', () => {
    const routes = routerRoutes(app).filter((r) => !isDocumentation(r.path));
    // Sanity: the router was read (a broken enumeration must not pass as "nothing missing").
    expect(routes.length).toBeGreaterThan(70);
    expect(routes).toContainEqual({ method: 'get', path: '/services/data/{version}/sobjects/{object}/{id}' });
    expect(routes).toContainEqual({ method: 'post', path: '/v1/vouchers/importCSV' });
    const documented = (r: { method: string; path: string }) =>
      Boolean((document.paths[r.path.replace(/(.)\/$/, '$1')] as Record<string, unknown> | undefined)?.[r.method]);
    expect(routes.filter((r) => !documented(r)).map((r) => `${r.method.toUpperCase()} ${r.path}`)).toEqual([]);
  });

  it('documents no route the router does not serve (besides /metrics, mounted by the service bootstrap)', () => {
    const served = new Set(routerRoutes(app).map((r) => `${r.method} ${r.path.replace(/(.)\/$/, '$1')}`));
    const extra = operations()
      .map(({ method, path }) => `${method} ${path}`)
      .filter((key) => !served.has(key) && key !== 'get /metrics');
    expect(extra).toEqual([]);
  });

  it('tags every operation with its surface and groups the tags by surface', () => {
    const ops = operations();
    for (const { path, op } of ops) {
      expect({ path, surface: op['x-surface'] }).toEqual({ path, surface: surfaceOf(path) });
      expect(op.tags).toHaveLength(1);
      expect(op.tags?.[0].split(':')[0]).toBe(op['x-surface']);
    }
    const bySurface = (s: string) => ops.filter((o) => o.op['x-surface'] === s).length;
    expect(bySurface('salesforce')).toBeGreaterThan(15);
    expect(bySurface('voucherify')).toBeGreaterThan(15);
    expect(bySurface('zuora')).toBe(3);
    expect(bySurface('native')).toBeGreaterThan(15);
    const groups = (document as unknown as { 'x-tagGroups': Array<{ name: string; tags: string[] }> })['x-tagGroups'];
    expect(groups.map((g) => g.name)).toEqual(['auth', 'monitoring', 'native', 'salesforce', 'zuora', 'voucherify']);
    expect(groups.find((g) => g.name === 'native')?.tags).toEqual(expect.arrayContaining(['native: operations', 'native: webhooks']));
    expect(document.tags?.map((t) => t.name).sort()).toEqual(groups.flatMap((g) => g.tags).sort());
  });

  it('sorts paths into surfaces by prefix', () => {
    expect(surfaceOf('/services/data/{version}/query')).toBe('salesforce');
    expect(surfaceOf('/services/oauth2/token')).toBe('auth');
    expect(surfaceOf('/v1/async-jobs/{jobId}')).toBe('zuora');
    expect(surfaceOf('/v1/async-actions/{id}')).toBe('voucherify');
    expect(surfaceOf('/api/v1/events')).toBe('native');
    expect(surfaceOf('/metrics')).toBe('monitoring');
  });
});
