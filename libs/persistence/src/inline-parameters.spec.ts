import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@asyncops/testing';
import { inlineParameters } from './inline-parameters';

describe('inlineParameters (a statement with its values as literals, for the simple query protocol)', () => {
  it('replaces each placeholder by its value as a quoted literal, $10 not read as $1', () => {
    const values = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    expect(inlineParameters('SELECT $1, $10, $2::int', values)).toBe(`SELECT 'v1', 'v10', 'v2'::int`);
  });

  it('converts values as the driver does: null, numbers, booleans, dates, arrays, objects as JSON', () => {
    const at = new Date('2026-12-05T01:02:03.004Z');
    const sql = inlineParameters('SELECT $1, $2, $3, $4::boolean, $5::timestamptz, $6::text[], $7::jsonb', [null, undefined, 750, true, at, ['a', 'b"c'], { k: "it's" }]);
    expect(sql).toBe(`SELECT NULL, NULL, '750', 'true'::boolean, '${(require('pg/lib/utils') as { prepareValue: (v: unknown) => string }).prepareValue(at)}'::timestamptz,  E'{"a","b\\\\"c"}'::text[], '{"k":"it''s"}'::jsonb`);
  });

  it('quotes what would end the literal or escape out of it', () => {
    expect(inlineParameters('SELECT $1', [`'); DROP TABLE t; --`])).toBe(`SELECT '''); DROP TABLE t; --'`);
    expect(inlineParameters('SELECT $1', ['back\\slash'])).toBe("SELECT  E'back\\\\slash'");
  });

  it('reads a literal ending in e, or a name ending in e before a literal, as what it is, not an escape string', () => {
    expect(inlineParameters(`SELECT 'e', 'some', type = 'x', $1`, ['v'])).toBe(`SELECT 'e', 'some', type = 'x', 'v'`);
  });

  it('leaves placeholders inside quoted literals, quoted identifiers and comments alone', () => {
    expect(inlineParameters(`SELECT '$1', "col$1", 'it''s $2' -- $1 here\n, $1`, ['x'])).toBe(`SELECT '$1', "col$1", 'it''s $2' -- $1 here\n, 'x'`);
  });

  it('refuses what it cannot read safely: dollar quotes, escape strings, missing values, bytea, unterminated quotes', () => {
    expect(() => inlineParameters('SELECT $$a$$', [])).toThrow(/dollar-quoted/);
    expect(() => inlineParameters('SELECT $tag$a$tag$', [])).toThrow(/dollar-quoted/);
    expect(() => inlineParameters(`SELECT E'\\'' , $1`, ['x'])).toThrow(/escape strings/);
    expect(() => inlineParameters('SELECT $2', ['x'])).toThrow(/\$2 has no value/);
    expect(() => inlineParameters('SELECT $1', [Buffer.from('x')])).toThrow(/bytea/);
    expect(() => inlineParameters(`SELECT 'open`, [])).toThrow(/unterminated/);
  });
});

describe('inlineParameters against PostgreSQL: a literal reads back as the parameter it replaces', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase('inline_params');
    client = new Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it.each<[string, unknown]>([
    ['a quote', "it's"],
    ['a backslash and a quote', "a\\'b"],
    ['a statement in a string', "'); DROP TABLE x; --"],
    ['unicode', 'Zoë 😀 ß'],
    ['a JSON object with quotes and backslashes', { k: 'it\'s "q" \\ n', n: [1, 2] }],
    ['an array with quotes, commas, braces and NULL', ['a,b', 'c"d', '{e}', null]],
    ['a date', new Date('2026-12-05T01:02:03.004Z')],
    ['a number', 750],
    ['a boolean', false],
    ['null', null],
  ])('%s', async (_what, value) => {
    const cast = Array.isArray(value) ? 'text[]' : value instanceof Date ? 'timestamptz' : typeof value === 'object' && value !== null ? 'jsonb' : typeof value === 'number' ? 'int' : typeof value === 'boolean' ? 'boolean' : 'text';
    const sql = `SELECT $1::${cast} AS v`;
    const bound = (await client.query(sql, [value])).rows[0].v as unknown;
    const inlined = (await client.query(inlineParameters(sql, [value]))).rows[0].v as unknown;
    expect(inlined).toEqual(bound);
  });
});
