import { HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { HEALTH_INDICATORS, HealthController, HealthIndicator, HealthModule, PUBLIC_ROUTE } from './health';

const up = (name: string): HealthIndicator => ({ name, check: async () => undefined });
const down = (name: string, reason: string): HealthIndicator => ({
  name,
  check: async () => {
    throw new Error(reason);
  },
});
const silent = (name: string): HealthIndicator => ({ name, check: () => new Promise<void>(() => undefined) });

/** Just enough of an express Response: the controller only sets the status code. */
function fakeResponse() {
  const res = { statusCode: 200, status: jest.fn() };
  res.status.mockImplementation((code: number) => {
    res.statusCode = code;
    return res;
  });
  return res;
}

const ready = (indicators: HealthIndicator[], res = fakeResponse()) => new HealthController(indicators).ready(res as unknown as Response);

describe('HealthController', () => {
  afterEach(() => jest.useRealTimers());

  it('is a public route', () => {
    expect(Reflect.getMetadata(PUBLIC_ROUTE, HealthController)).toBe(true);
  });

  it('live answers ok without asking any dependency', () => {
    const check = jest.fn();
    expect(new HealthController([{ name: 'database', check }]).live()).toEqual({ status: 'ok' });
    expect(check).not.toHaveBeenCalled();
  });

  it('ready answers 200 when every indicator passes', async () => {
    const res = fakeResponse();
    const body = await ready([up('database'), up('broker')], res);
    expect(res.status).toHaveBeenCalledWith(HttpStatus.OK);
    expect(res.statusCode).toBe(200);
    expect(body).toEqual({ status: 'ok', checks: { database: { status: 'up' }, broker: { status: 'up' } } });
  });

  it('ready answers 200 with no indicators at all', async () => {
    const res = fakeResponse();
    expect(await ready([], res)).toEqual({ status: 'ok', checks: {} });
    expect(res.statusCode).toBe(200);
  });

  it('ready answers 503 naming the failing dependency, and logs its reason instead of answering it', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const res = fakeResponse();
      const body = await ready([up('database'), down('broker', 'connect ECONNREFUSED 10.1.2.3:5672')], res);
      expect(res.status).toHaveBeenCalledWith(HttpStatus.SERVICE_UNAVAILABLE);
      expect(res.statusCode).toBe(503);
      expect(body).toEqual({ status: 'unavailable', checks: { database: { status: 'up' }, broker: { status: 'down' } } });
      expect(JSON.stringify(body)).not.toContain('10.1.2.3');
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ dependency: 'broker', reason: 'connect ECONNREFUSED 10.1.2.3:5672' }));
    } finally {
      warn.mockRestore();
    }
  });

  it('ready answers 503 when an indicator does not answer within 2 s', async () => {
    jest.useFakeTimers();
    const res = fakeResponse();
    let settled = false;
    const pending = ready([up('broker'), silent('database')], res).finally(() => (settled = true));
    await jest.advanceTimersByTimeAsync(1999);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const body = await pending;
    expect(res.statusCode).toBe(503);
    expect(body).toEqual({
      status: 'unavailable',
      checks: { broker: { status: 'up' }, database: { status: 'down' } },
    });
  });

  it('checks the indicators concurrently, so one slow check does not add up', async () => {
    jest.useFakeTimers();
    const slow = (name: string): HealthIndicator => ({ name, check: () => new Promise<void>((r) => setTimeout(r, 1500)) });
    const res = fakeResponse();
    const pending = ready([slow('a'), slow('b'), slow('c')], res);
    await jest.advanceTimersByTimeAsync(1500);
    expect(await pending).toEqual({ status: 'ok', checks: { a: { status: 'up' }, b: { status: 'up' }, c: { status: 'up' } } });
    expect(res.statusCode).toBe(200);
  });
});

describe('HealthModule.forRoot', () => {
  it('provides the controller and collects the given indicators under HEALTH_INDICATORS', () => {
    class DbIndicator implements HealthIndicator {
      readonly name = 'database';
      check = async (): Promise<void> => undefined;
    }
    const mod = HealthModule.forRoot([DbIndicator], [DbIndicator]);
    expect(mod.module).toBe(HealthModule);
    expect(mod.controllers).toEqual([HealthController]);
    const factory = (mod.providers as Array<{ provide?: unknown; useFactory?: (...a: unknown[]) => unknown; inject?: unknown[] }>).find(
      (p) => p.provide === HEALTH_INDICATORS,
    );
    expect(factory?.inject).toEqual([DbIndicator]);
    const a = new DbIndicator();
    const b = up('broker');
    expect(factory?.useFactory?.(a, b)).toEqual([a, b]);
    expect(mod.providers).toContain(DbIndicator);
  });
});
