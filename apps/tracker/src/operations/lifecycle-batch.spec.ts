import type { EntityManager } from 'typeorm';
import { OperationEvents } from '@asyncops/contracts';
import type { BatchEvent } from '@asyncops/messaging';
import type { TrackerConfig } from '../config';
import type { ProducerAuthorization } from '../producers/producer-authorization';
import { LifecycleBatch } from './lifecycle-batch';

const existing = '0b6c7f1e-0d1c-4a8e-9f5e-1c2d3e4f5a6b';
const fresh = 'a0b6c7f1-0d1c-4a8e-9f5e-1c2d3e4f5a6b';
const event = (routingKey: string, operationId: string) => ({ routingKey, payload: { operationId }, message: {} }) as unknown as BatchEvent;

describe('LifecycleBatch.changesNothing (the read that spares a batch of repeated submits its transaction)', () => {
  const batch = new LifecycleBatch({} as TrackerConfig, {} as ProducerAuthorization);
  const manager = () => {
    const query = jest.fn(async () => [{ id: existing }]);
    return { m: { query } as unknown as EntityManager, query };
  };

  it('finds, for a batch of submits alone, those of operations that exist', async () => {
    const { m, query } = manager();
    const repeated = event(OperationEvents.Submitted, existing.toUpperCase());
    const idle = await batch.changesNothing([repeated, event(OperationEvents.Submitted, fresh)], m);
    expect([...idle]).toEqual([repeated]);
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('does not read for a batch with any other event, which needs its transaction anyway', async () => {
    const { m, query } = manager();
    const idle = await batch.changesNothing([event(OperationEvents.Submitted, existing), event(OperationEvents.Started, existing)], m);
    expect(idle.size).toBe(0);
    expect(query).not.toHaveBeenCalled();
  });

  it('does not read for a batch without submits', async () => {
    const { m, query } = manager();
    expect((await batch.changesNothing([event(OperationEvents.ItemsProgressed, existing)], m)).size).toBe(0);
    expect(query).not.toHaveBeenCalled();
  });
});
