import type { INestApplication } from '@nestjs/common';
import type { OperationView } from '@asyncops/contracts';
import { operationViewFixture } from '@asyncops/testing';
import { answerOf, watchEdgeReads } from '../../../../../../test/support/edge-read';
import { devAccessToken, startInProcessGateway } from '../../../../../../test/support/in-process-gateway';
import { DEV_CLIENT_ID } from '../../../../../config';
import { RateLimitInterceptor } from '../../../../../core/rate-limit/rate-limit.interceptor';

const JOB_ID = '2c5e8a1f-7b3d-4e9a-8f6c-1d2e3f4a5b6c';

function view(overrides: Partial<OperationView> = {}): OperationView {
  return operationViewFixture({
    id: JOB_ID,
    asyncOperationNumber: '00000007',
    jobType: 'AsyncCreateOrder',
    status: 'Completed',
    finishedAt: '2030-01-01T00:00:02.000Z',
    totalJobItems: 1,
    successfulJobItems: 1,
    progress: 100,
    processingTimeMs: 1000,
    referenceEntityId: 'O-00000001',
    referenceEntityType: 'ZuoraOrder',
    ownerId: DEV_CLIENT_ID,
    producer: 'order-placement',
    result: { orderNumber: 'O-00000001', status: 'Completed' },
    updatedAt: '2030-01-01T00:00:02.000Z',
    version: 3,
    ...overrides,
  });
}

/** Zuora's job status read from the read edge against the routed read (RateLimitInterceptor runs only on the latter). */
describe('GET /v1/async-jobs/{jobId} from the read edge (in-process, fake tracker)', () => {
  const rpc = { request: jest.fn() };
  let app: INestApplication;
  let base: string;
  let token: string;

  const read = (headers: Record<string, string> = {}) => fetch(`${base}/v1/async-jobs/${JOB_ID}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

  beforeAll(async () => {
    ({ app, base } = await startInProcessGateway({ rpc }));
    token = await devAccessToken(base);
  });
  const edge = watchEdgeReads(() => app, RateLimitInterceptor, rpc);

  it.each([
    ['small, identity', view(), {}],
    ['large, gzipped by its own writer', view({ result: { orderNumber: 'O-00000001', note: 'n'.repeat(2000) } }), { 'accept-encoding': 'gzip' }],
  ])('answers a cached job (%s) exactly as the routed read did', async (_name, op, headers) => {
    rpc.request.mockResolvedValue(op);
    const miss = await answerOf(await read(headers));
    expect(edge.routed).toHaveBeenCalledTimes(1);
    const hit = await answerOf(await read(headers));
    expect(edge.routed).toHaveBeenCalledTimes(1);
    expect(rpc.request).toHaveBeenCalledTimes(1);
    expect(hit).toEqual(miss);
    expect(hit.status).toBe(200);
    expect(JSON.parse(hit.body)).toMatchObject({ status: 'Completed', success: true, result: op.result });
  });

  it('leaves a Zuora-Track-Id, and an operation that is no Zuora job, to the router', async () => {
    rpc.request.mockResolvedValue(view());
    await read();
    edge.routed.mockClear();
    const tracked = await read({ 'zuora-track-id': 'track-1' });
    expect(tracked.status).toBe(200);
    expect(tracked.headers.get('zuora-track-id')).toBe('track-1');
    expect(edge.routed).toHaveBeenCalledTimes(1);

    edge.views.reset(true);
    rpc.request.mockResolvedValue(view({ referenceEntityType: 'Cart', jobType: 'PlaceOrder' }));
    const first = await read();
    const second = await read();
    expect([first.status, second.status]).toEqual([404, 404]);
    expect(await second.json()).toMatchObject({ success: false });
    expect(edge.routed).toHaveBeenCalledTimes(3);
  });
});
