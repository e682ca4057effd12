import { randomBytes } from 'node:crypto';

export const TEST_AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** Server URL without a database; each suite creates and drops its own test database. */
export const TEST_PG_SERVER = process.env.TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

export const randomSuffix = () => randomBytes(4).toString('hex');

/** A broker prefix of its own per suite, so suites never see each other's queues. */
export const uniquePrefix = (label: string) => `test-${label}-${randomSuffix()}`;
