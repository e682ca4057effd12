import * as amqp from 'amqplib';
import { BaseConfig, ConfigError, loadConfig } from '@asyncops/platform';
import { listParked, ParkedMessage, purgeParked, replayParked, Selection } from './dead-letter-queue';

const USAGE = `Usage: npm run dlq -- <command> [options]

  list [--json]                       parked messages: id, routing key, original queue, operation, age, last error
  replay (--all | --id <messageId>… | --operation <operationId>…)
                                      publish them again to their original exchange and routing key
  purge  (--all | --id <messageId>… | --operation <operationId>…)
                                      delete them

Reads AMQP_URL and AMQP_PREFIX like the services do.`;

function parse(argv: string[]): { command: string; selection: Selection; json: boolean } {
  const [command = '', ...rest] = argv;
  const selection: Selection = { ids: [], operations: [] };
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      const v = rest[++i];
      if (!v || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--all') selection.all = true;
    else if (arg === '--id') selection.ids?.push(value());
    else if (arg === '--operation') selection.operations?.push(value());
    else if (arg === '--json') json = true;
    else throw new Error(`unknown option ${arg}`);
  }
  return { command, selection, json };
}

function table(rows: ParkedMessage[]): string {
  if (!rows.length) return 'no parked messages';
  const cells = rows.map((r) => [
    r.messageId ?? '-',
    r.routingKey,
    r.originalQueue ?? '-',
    r.operationId ?? '-',
    r.ageSeconds === null ? '-' : `${r.ageSeconds}s`,
    (r.lastError ?? '-').replace(/\s+/g, ' ').slice(0, 120),
  ]);
  const head = ['MESSAGE ID', 'ROUTING KEY', 'ORIGINAL QUEUE', 'OPERATION', 'AGE', 'LAST ERROR'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]))).join('  ');
  return [line(head), ...cells.map(line)].join('\n');
}

async function main(): Promise<number> {
  const { command, selection, json } = parse(process.argv.slice(2));
  if (!['list', 'replay', 'purge'].includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (command !== 'list' && !selection.all && !selection.ids?.length && !selection.operations?.length) {
    process.stderr.write(`${command} needs --all, --id <messageId> or --operation <operationId>\n`);
    return 2;
  }
  const config = loadConfig('dlq', BaseConfig);
  const conn = await amqp.connect(config.AMQP_URL, { timeout: 10_000 });
  conn.on('error', () => undefined);
  try {
    const rows =
      command === 'list'
        ? await listParked(conn, config.AMQP_PREFIX)
        : command === 'replay'
          ? await replayParked(conn, config.AMQP_PREFIX, selection)
          : await purgeParked(conn, config.AMQP_PREFIX, selection);
    if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else {
      if (command !== 'list') process.stdout.write(`${command === 'replay' ? 'replayed' : 'purged'} ${rows.length} message(s)\n`);
      process.stdout.write(`${table(rows)}\n`);
    }
    return 0;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof ConfigError ? e.message : `dlq: ${(e as Error).message}`}\n`);
    process.exit(1);
  },
);
