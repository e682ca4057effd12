import { QueryFailedError } from 'typeorm';
import { isRetryableTransactionError, isUniqueViolation } from './postgres-errors';

/** What node-postgres throws: an Error carrying the SQLSTATE in `code`. */
const pgError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code, severity: 'ERROR' });
/** What TypeORM throws around it: the driver's fields copied onto the error, and the original kept. */
const typeormError = (code: string) => new QueryFailedError('UPDATE x', [], pgError(code));

describe('isRetryableTransactionError', () => {
  it.each(['40001', '40P01'])('is true for SQLSTATE %s on .code', (code) => {
    expect(isRetryableTransactionError(pgError(code))).toBe(true);
    expect(isRetryableTransactionError({ code })).toBe(true);
  });

  it.each(['40001', '40P01'])('is true for SQLSTATE %s on .driverError.code', (code) => {
    expect(isRetryableTransactionError({ driverError: { code } })).toBe(true);
    expect(isRetryableTransactionError(Object.assign(new Error('wrapped'), { driverError: pgError(code) }))).toBe(true);
  });

  it.each(['40001', '40P01'])('is true for a TypeORM QueryFailedError with SQLSTATE %s', (code) => {
    expect(isRetryableTransactionError(typeormError(code))).toBe(true);
  });

  it.each(['23505', '40000', '40002', '40p01', '55P03', '57014', '08006', 'ECONNRESET', ''])('is false for code %p', (code) => {
    expect(isRetryableTransactionError(pgError(code))).toBe(false);
    expect(isRetryableTransactionError({ driverError: { code } })).toBe(false);
  });

  it.each([[null], [undefined], ['40001'], [40001], [new Error('40001')], [{}], [{ driverError: null }]])('is false for %p', (e) => {
    expect(isRetryableTransactionError(e)).toBe(false);
  });
});

describe('isUniqueViolation', () => {
  it('is true for 23505 on .code, on .driverError.code and on a QueryFailedError', () => {
    expect(isUniqueViolation(pgError('23505'))).toBe(true);
    expect(isUniqueViolation({ driverError: { code: '23505' } })).toBe(true);
    expect(isUniqueViolation(typeormError('23505'))).toBe(true);
  });

  it.each(['23503', '23502', '23514', '40001', '40P01', ''])('is false for code %p', (code) => {
    expect(isUniqueViolation(pgError(code))).toBe(false);
    expect(isUniqueViolation({ driverError: { code } })).toBe(false);
  });

  it.each([[null], [undefined], ['23505'], [23505], [{}]])('is false for %p', (e) => {
    expect(isUniqueViolation(e)).toBe(false);
  });
});
