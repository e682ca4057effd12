import { backoffDelay, classifyFailure } from './failure-policy';
import { PermanentMessageError } from './errors';

const pgError = (code: string, message = 'boom') => Object.assign(new Error(message), { code });
/** TypeORM's QueryFailedError keeps the driver's error in `driverError`. */
const queryFailed = (driverError: Error) => Object.assign(new Error(`QueryFailedError: ${driverError.message}`), { driverError });

describe('classifyFailure', () => {
  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection due to crash of another server process'],
    ['57P03', 'the database system is starting up'],
    ['08006', 'connection failure'],
    ['08003', 'connection does not exist'],
    ['40001', 'could not serialize access due to concurrent update'],
    ['40P01', 'deadlock detected'],
    ['53300', 'sorry, too many clients already'],
  ])('treats SQLSTATE %s (%s) as transient', (code, message) => {
    expect(classifyFailure(pgError(code, message))).toBe('transient');
    expect(classifyFailure(queryFailed(pgError(code, message)))).toBe('transient');
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'])('treats the socket error %s as transient', (code) => {
    expect(classifyFailure(pgError(code, `connect ${code} 127.0.0.1:5432`))).toBe('transient');
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'Channel closed',
    'Channel ended, no reply will be forthcoming',
    'broker not connected',
    'publish failed after 30000 ms: Channel closed',
    'Query runner already released. Cannot run queries anymore.',
    'Database connection provided by a query runner was already released, cannot continue to use its querying methods anymore.',
  ])('treats the code-less driver error "%s" as transient', (message) => {
    expect(classifyFailure(new Error(message))).toBe('transient');
  });

  it('follows the cause chain', () => {
    expect(classifyFailure(new Error('batch failed', { cause: pgError('57P01') }))).toBe('transient');
  });

  it('treats a PermanentMessageError as permanent, even when its text mentions a connection', () => {
    expect(classifyFailure(new PermanentMessageError('invalid payload: connection terminated is not a status'))).toBe('permanent');
  });

  it.each([
    ['a unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['a check violation', pgError('23514', 'new row violates check constraint')],
    ['a statement timeout (may be deterministic: the same work times out again)', pgError('57014', 'canceling statement due to statement timeout')],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a domain error', new Error('inventory service rejected the batch')],
  ])('leaves %s to the bounded attempts', (_what, error) => {
    expect(classifyFailure(error)).toBe('unknown');
  });

  it('copes with values that are not errors', () => {
    expect(classifyFailure(undefined)).toBe('unknown');
    expect(classifyFailure('Connection terminated')).toBe('unknown');
    const cyclic: { message: string; cause?: unknown } = { message: 'x' };
    cyclic.cause = cyclic;
    expect(classifyFailure(cyclic)).toBe('unknown');
  });
});

describe('backoffDelay', () => {
  const policy = { baseMs: 100, maxMs: 5_000 };

  it('doubles from the base delay', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 1))).toEqual([100, 200, 400, 800, 1600]);
  });

  it('never exceeds the cap, however many retries', () => {
    expect(backoffDelay(7, policy, () => 1)).toBe(5_000);
    expect(backoffDelay(1_000, policy, () => 1)).toBe(5_000);
  });

  it('jitters between half and all of the ceiling', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(200);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(300);
    const samples = Array.from({ length: 200 }, () => backoffDelay(4, policy));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(400);
    expect(Math.max(...samples)).toBeLessThanOrEqual(800);
    expect(new Set(samples).size).toBeGreaterThan(10);
  });

  it('treats a retry number below 1 as the first retry', () => {
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
  });
});
