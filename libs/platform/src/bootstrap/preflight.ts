import * as amqp from 'amqplib';
import { Client } from 'pg';

export class DependencyUnreachableError extends Error {
  readonly code = 'DEPENDENCY_UNREACHABLE';
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
const hostOf = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol.startsWith('amqp') ? 5672 : 5432)}`;
  } catch {
    return url;
  }
};

/**
 * Fails fast, naming the dependency, the address tried and how to start it, instead of letting
 * the first query or publish fail somewhere deep inside a module.
 */
export async function assertPostgresReachable(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const missingDb = err.code === '3D000';
    throw new DependencyUnreachableError(
      missingDb
        ? `PostgreSQL at ${hostOf(url)} has no database named in DATABASE_URL (${redact(url)}). ` +
            `Create it (createdb -h ${new URL(url).hostname} -U postgres ${new URL(url).pathname.slice(1)}) or run "npm start", which creates it.`
        : `PostgreSQL is not reachable at ${hostOf(url)} (DATABASE_URL=${redact(url)}): ${err.message || err.code}. ` +
            'Start it (locally: pg_ctlcluster <version> main start; with Docker: docker compose up -d postgres) or set DATABASE_URL.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function assertRabbitReachable(url: string): Promise<void> {
  try {
    const conn = await amqp.connect(url, { timeout: 5000 });
    await conn.close();
  } catch (e) {
    throw new DependencyUnreachableError(
      `RabbitMQ is not reachable at ${hostOf(url)} (AMQP_URL=${redact(url)}): ${(e as Error).message}. ` +
        'Start it (locally: rabbitmq-server -detached; with Docker: docker compose up -d rabbitmq) or set AMQP_URL.',
    );
  }
}
