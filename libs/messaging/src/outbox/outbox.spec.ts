import type { EntityManager } from 'typeorm';
import { ExchangeRole, Headers } from '@asyncops/contracts';
import { runWithCorrelationId } from '@asyncops/platform';
import { fanOutMessageId, OUTBOX_FAN_OUT_HEADER, OutboxWriter } from './outbox';

function writer() {
  const query = jest.fn(async () => undefined);
  const outbox = new OutboxWriter({ query } as unknown as EntityManager, 'svc');
  const headersWritten = () => (query.mock.calls as unknown as Array<[string, unknown[]]>).map(([, values]) => JSON.parse(values[4] as string) as Record<string, unknown>);
  const statements = () => query.mock.calls as unknown as Array<[string, unknown[]]>;
  return { outbox, headersWritten, statements };
}

const message = (headers?: Record<string, unknown>) => ({ exchange: ExchangeRole.Events, routingKey: 'operation.started', body: { operationId: 'op-1' }, headers });

describe('OutboxWriter', () => {
  it('stores the correlation id of the message being handled, because the relay publishes later outside its scope', async () => {
    const { outbox, headersWritten } = writer();
    await runWithCorrelationId('req-9', () => outbox.add(message({ a: 1 })));
    await runWithCorrelationId('req-9', () => outbox.add(message({ [Headers.CorrelationId]: 'own' })));
    await outbox.add(message());
    expect(headersWritten()).toEqual([{ a: 1, [Headers.CorrelationId]: 'req-9' }, { [Headers.CorrelationId]: 'own' }, {}]);
  });

  it('holds rows back only when asked: publish_after is then the delay past the transaction time', async () => {
    const { outbox, statements } = writer();
    await outbox.addEvent('operation.started', { operationId: 'op-1', occurredAt: '2026-12-01T10:00:00.000Z' });
    await outbox.addEvent('operation.started', { operationId: 'op-2', occurredAt: '2026-12-01T10:00:00.000Z' }, {}, { delayMs: 750 });
    const [[plain, plainValues], [held, heldValues]] = statements();
    expect(plain).not.toContain('publish_after');
    expect(plainValues).toHaveLength(5);
    expect(held).toContain('"publish_after") VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, now() + $6::int * interval \'1 millisecond\')');
    expect(heldValues[5]).toBe(750);
  });

  it('deferred: keeps every row until flush, then writes them in order in one statement, each with its own hold-back', async () => {
    const query = jest.fn(async () => undefined);
    const outbox = new OutboxWriter({ query } as unknown as EntityManager, 'svc', { deferred: true });
    await outbox.add(message(), message());
    await outbox.addEvent('operation.submitted', { operationId: 'op-1' } as never, {}, { delayMs: 1000 });
    expect(query).not.toHaveBeenCalled();
    expect(outbox.written).toBe(3);
    await outbox.flush();
    await outbox.flush();
    expect(query).toHaveBeenCalledTimes(1);
    const [sql, values] = (query.mock.calls as unknown as Array<[string, unknown[]]>)[0];
    expect(sql).toContain('($13, $14, $15, $16::jsonb, $17::jsonb, now() + $18::int * interval');
    expect(values.filter((_v, i) => i % 6 === 2)).toEqual(['operation.started', 'operation.started', 'operation.submitted']);
    expect(values.filter((_v, i) => i % 6 === 5)).toEqual([null, null, 1000]);
  });

  it('takeInsert: the kept rows as one INSERT numbered from the given parameter, for the caller to run in its own statement; nothing is left to flush', async () => {
    const query = jest.fn(async () => undefined);
    const outbox = new OutboxWriter({ query } as unknown as EntityManager, 'svc', { deferred: true });
    expect(outbox.takeInsert(4)).toBeUndefined();
    await outbox.add(message());
    await outbox.addEvent('operation.submitted', { operationId: 'op-1' } as never, {}, { delayMs: 1000 });
    const taken = outbox.takeInsert(4);
    expect(taken?.sql).toBe(
      `INSERT INTO "svc"."outbox" ("message_id", "exchange", "routing_key", "payload", "headers", "publish_after") VALUES ($4, $5, $6, $7::jsonb, $8::jsonb, now() + $9::int * interval '1 millisecond'), ($10, $11, $12, $13::jsonb, $14::jsonb, now() + $15::int * interval '1 millisecond')`,
    );
    expect(taken?.values.filter((_v, i) => i % 6 === 2)).toEqual(['operation.started', 'operation.submitted']);
    expect(taken?.values.filter((_v, i) => i % 6 === 5)).toEqual([null, 1000]);
    expect(outbox.written).toBe(2);
    await outbox.flush();
    expect(query).not.toHaveBeenCalled();
    expect(outbox.takeInsert(4)).toBeUndefined();
  });

  it('addEach: messages differing only in body as one row carrying their bodies, counted as that many messages', async () => {
    const { outbox, statements } = writer();
    await runWithCorrelationId('req-3', () => outbox.addEach({ exchange: ExchangeRole.Events, routingKey: 'pending-order.processed' }, [{ n: 1 }, { n: 2 }, { n: 3 }]));
    expect(outbox.written).toBe(3);
    expect(statements()).toHaveLength(1);
    const [, values] = statements()[0];
    expect(values).toHaveLength(5);
    expect(JSON.parse(values[3] as string)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(JSON.parse(values[4] as string)).toEqual({ [OUTBOX_FAN_OUT_HEADER]: 3, [Headers.CorrelationId]: 'req-3' });
    // One body is an ordinary row; none writes nothing.
    await outbox.addEach({ exchange: ExchangeRole.Events, routingKey: 'pending-order.processed' }, [{ n: 4 }]);
    await outbox.addEach({ exchange: ExchangeRole.Events, routingKey: 'pending-order.processed' }, []);
    expect(statements()).toHaveLength(2);
    expect(JSON.parse(statements()[1][1][3] as string)).toEqual({ n: 4 });
    expect(outbox.written).toBe(4);
  });

  it('fanOutMessageId: a UUID per row and index, the same every time', () => {
    const row = '6f1c1d2e-9a7b-4c3d-8e5f-0a1b2c3d4e5f';
    expect(fanOutMessageId(row, 0)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fanOutMessageId(row, 0)).toBe(fanOutMessageId(row, 0));
    expect(new Set([0, 1, 2].map((i) => fanOutMessageId(row, i))).size).toBe(3);
  });
});
