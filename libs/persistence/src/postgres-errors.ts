/** Errors PostgreSQL asks the client to retry: serialization failure and deadlock. */
export function isRetryableTransactionError(e: unknown): boolean {
  const code = (e as { code?: string; driverError?: { code?: string } })?.code ?? (e as { driverError?: { code?: string } })?.driverError?.code;
  return code === '40001' || code === '40P01';
}

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string })?.code ?? (e as { driverError?: { code?: string } })?.driverError?.code;
  return code === '23505';
}
