import { types as pgTypes } from 'pg';
import type { EntityManager } from 'typeorm';
import { arrayQuery, StatementNames, TEXT_CELLS, timestamptzText } from './array-rows';

const pgDate = (text: string) => (pgTypes.getTypeParser(1184, 'text') as (t: string) => Date)(text);

describe('timestamptzText', () => {
  it.each([
    '2024-01-31 12:34:56+00',
    '2024-01-31 12:34:56.7+00',
    '2024-01-31 12:34:56.78+00',
    '2024-01-31 12:34:56.789+00',
    '2024-01-31 12:34:56.789999+00',
    '0999-12-31 23:59:59.001+00',
  ])('spells %s exactly as a Date parsed by pg would print', (text) => {
    expect(timestamptzText(text)).toBe(pgDate(text).toISOString());
  });

  it.each(['2024-01-31 13:34:56.789+01', '2024-01-31 18:04:56.789+05:30', '2024-01-31 12:34:56+00 BC', '12024-01-31 12:34:56+00'])(
    'leaves %s to pg, which knows other zones and eras',
    (text) => {
      const value = timestamptzText(text);
      expect(value).toBeInstanceOf(Date);
      expect((value as Date).getTime()).toBe(pgDate(text).getTime());
    },
  );

  it('leaves infinity to pg', () => {
    expect(timestamptzText('infinity')).toBe(Infinity);
  });
});

describe('TEXT_CELLS', () => {
  it('keeps numbers as their decimal text and parses other types as pg does', () => {
    const parse = (oid: number, text: string) => (TEXT_CELLS.getTypeParser as (oid: number, format: string) => (t: string) => unknown)(oid, 'text')(text);
    expect(parse(20, '9007199254740993')).toBe('9007199254740993');
    expect(parse(23, '42')).toBe('42');
    expect(parse(1700, '12.50')).toBe('12.50');
    expect(parse(25, 'x')).toBe('x');
    expect(parse(16, 't')).toBe(true);
    expect(parse(1184, '2024-01-31 12:34:56.5+00')).toBe('2024-01-31T12:34:56.500Z');
  });
});

describe('arrayQuery statement names', () => {
  function managerRecording(): { manager: EntityManager; configs: Array<Record<string, unknown>> } {
    const configs: Array<Record<string, unknown>> = [];
    const master = {
      query: async (config: Record<string, unknown>) => {
        configs.push(config);
        return { rows: [['1']] };
      },
    };
    return { manager: { queryRunner: undefined, connection: { driver: { master } } } as unknown as EntityManager, configs };
  }

  it('names each statement by its text, so PostgreSQL parses it once per connection and may keep a generic plan', async () => {
    const { manager, configs } = managerRecording();
    const run = arrayQuery(manager, new StatementNames('t_', 10));
    expect(await run('SELECT $1::text', ['a'])).toEqual([['1']]);
    await run('SELECT $1::int', [1]);
    await run('SELECT $1::text', ['b']);
    expect(configs.map((c) => [c.name, c.text, c.values])).toEqual([
      ['t_1', 'SELECT $1::text', ['a']],
      ['t_2', 'SELECT $1::int', [1]],
      ['t_1', 'SELECT $1::text', ['b']],
    ]);
    expect(configs.every((c) => c.rowMode === 'array' && c.types === TEXT_CELLS)).toBe(true);
  });

  it('names only the first texts up to its limit and runs later ones unnamed', async () => {
    const { manager, configs } = managerRecording();
    const run = arrayQuery(manager, new StatementNames('t_', 2));
    for (const sql of ['SELECT 1', 'SELECT 2', 'SELECT 3', 'SELECT 1']) await run(sql, []);
    expect(configs.map((c) => c.name)).toEqual(['t_1', 't_2', undefined, 't_1']);
    expect('name' in configs[2]).toBe(false);
  });
});
