import { ArgumentMetadata } from '@nestjs/common';
import { ValidationFailedError } from '../../../../../core/errors/gateway-errors';
import { createValidationPipe } from '../../../../../core/errors/validation';
import { ListOperationsQueryDto } from './list-operations.dto';

const pipe = createValidationPipe();
const meta: ArgumentMetadata = { type: 'query', metatype: ListOperationsQueryDto };

async function parse(query: Record<string, unknown>): Promise<ListOperationsQueryDto> {
  return (await pipe.transform(query, meta)) as ListOperationsQueryDto;
}

async function failures(query: Record<string, unknown>): Promise<string[]> {
  try {
    await parse(query);
  } catch (e) {
    if (e instanceof ValidationFailedError) return (e.errors ?? []).map((f) => `${f.field}:${f.rule}`);
    throw e;
  }
  throw new Error('expected validation to fail');
}

describe('ListOperationsQueryDto', () => {
  it('splits comma-separated statuses', async () => {
    expect((await parse({ status: 'Submitted,InProgress' })).status).toEqual(['Submitted', 'InProgress']);
  });

  it('accepts repeated and mixed forms, trimming blanks and duplicates', async () => {
    expect((await parse({ status: ['Submitted, InProgress', 'Failure', 'Submitted', ''] })).status).toEqual(['Submitted', 'InProgress', 'Failure']);
  });

  it('treats an empty filter as no filter', async () => {
    expect((await parse({ status: '' })).status).toBeUndefined();
  });

  it('splits job types the same way', async () => {
    expect((await parse({ jobType: 'PlaceOrder,VOUCHERS.IMPORT_CSV' })).jobType).toEqual(['PlaceOrder', 'VOUCHERS.IMPORT_CSV']);
  });

  it('names an unknown status or job type', async () => {
    expect(await failures({ status: 'Submitted,Done' })).toEqual(['status:isIn']);
    expect(await failures({ jobType: 'Nope' })).toEqual(['jobType:isIn']);
  });

  it('defaults the limit to 50 and bounds it to 1..200', async () => {
    expect((await parse({})).limit).toBe(50);
    expect((await parse({ limit: '200' })).limit).toBe(200);
    expect(await failures({ limit: '0' })).toEqual(['limit:min']);
    expect(await failures({ limit: '201' })).toEqual(['limit:max']);
    expect(await failures({ limit: 'ten' })).toEqual(expect.arrayContaining(['limit:isInt']));
  });

  it('checks dates, ids and the time range', async () => {
    expect(await failures({ submittedFrom: 'yesterday', parentOperationId: '42' })).toEqual(
      expect.arrayContaining(['submittedFrom:isIso8601', 'parentOperationId:isUuid']),
    );
    expect(await failures({ submittedFrom: '2030-01-02T00:00:00Z', submittedTo: '2030-01-01T00:00:00Z' })).toEqual(['submittedTo:isNotBefore']);
  });

  it('refuses unknown parameters', async () => {
    expect(await failures({ sort: 'asc' })).toEqual(['sort:whitelistValidation']);
  });

  it('maps to the tracker request with the caller as owner', async () => {
    // Passed through as given; status and jobType become lists, limit a number.
    const asGiven = { stepName: 'Pricing', correlationIdentifier: 'c-1', parentOperationId: '7d1f7c3e-2b4a-4f7e-9c1d-3a5b6c7d8e9f', referenceEntityId: 'ORD-1', cursor: 'abc' };
    const submittedWindow = { submittedFrom: '2030-01-01T00:00:00Z', submittedTo: '2030-01-02T00:00:00Z' };
    const dto = await parse({ status: 'Completed', jobType: 'PlaceOrder', ...asGiven, ...submittedWindow, limit: '5' });
    expect(dto.toRequest('shop')).toEqual({ ownerId: 'shop', status: ['Completed'], jobType: ['PlaceOrder'], ...asGiven, ...submittedWindow, limit: 5 });
  });
});
