import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Length } from 'class-validator';
import { BaseConfig, DEFAULT_AMQP_URL, DEFAULT_DATABASE_URL } from './base-config';
import { ConfigError, Hint, IntSetting, loadConfig } from './load-config';

class WorkerConfig extends BaseConfig {
  @IntSetting(1, 10, 'WORKERS is how many batches run at once')
  WORKERS = 4;

  @IsIn(['fast', 'safe'])
  MODE = 'safe';

  /** No initialiser: only the hint makes the loader read it. */
  @IsString()
  @Length(3, 20)
  @Hint('Set REGION to the deployment region, e.g. eu-west')
  REGION!: string;
}

class SecretsConfig {
  @Length(32, 200)
  SIGNING_SECRET = 'x'.repeat(32);

  @Length(32, 200)
  ADMIN_PASSWORD = 'x'.repeat(32);

  @Length(32, 200)
  ACCESS_TOKEN = 'x'.repeat(32);

  @Length(32, 200)
  AUTH_CLIENTS = 'x'.repeat(32);

  @Length(32, 200)
  api_key = 'x'.repeat(32);
}

class CrossCheckedConfig extends BaseConfig {
  @Type(() => Number)
  @IsInt()
  LOW = 1;

  @Type(() => Number)
  @IsInt()
  HIGH = 10;

  validateTogether(): string[] {
    return this.LOW < this.HIGH ? [] : [`LOW: must be below HIGH (${this.HIGH})`, 'HIGH: must be above LOW'];
  }
}

const valid = { REGION: 'eu-west' };

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the class defaults when the environment is empty', () => {
    const config = loadConfig('tracker', BaseConfig, {});
    expect(config).toBeInstanceOf(BaseConfig);
    expect({ ...config }).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: DEFAULT_DATABASE_URL,
      DATABASE_POOL_SIZE: 20,
      DATABASE_STATEMENT_TIMEOUT_MS: 30_000,
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 60_000,
      DATABASE_CONNECT_TIMEOUT_MS: 5_000,
      AMQP_URL: DEFAULT_AMQP_URL,
      AMQP_PREFIX: 'asyncops',
      AMQP_DELIVERY_LIMIT: 5,
      CONSUMER_CONCURRENCY: 16,
      PORT: 0,
      OUTBOX_POLL_MS: 250,
      PROCESSED_MESSAGE_RETENTION_DAYS: 7,
      PROCESSED_MESSAGE_PRUNE_INTERVAL_MS: 600_000,
      SHUTDOWN_TIMEOUT_MS: 25_000,
    });
  });

  it('reads variables from the environment and converts numbers', () => {
    const config = loadConfig('tracker', WorkerConfig, {
      ...valid,
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@db:5432/tracker',
      DATABASE_POOL_SIZE: '50',
      PORT: '8080',
      WORKERS: '7',
      MODE: 'fast',
    });
    expect(config).toBeInstanceOf(WorkerConfig);
    expect(config.NODE_ENV).toBe('production');
    expect(config.DATABASE_URL).toBe('postgres://app@db:5432/tracker');
    expect(config.DATABASE_POOL_SIZE).toBe(50);
    expect(config.PORT).toBe(8080);
    expect(config.WORKERS).toBe(7);
    expect(config.MODE).toBe('fast');
    expect(config.REGION).toBe('eu-west');
    expect(config.AMQP_DELIVERY_LIMIT).toBe(5);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig('tracker', WorkerConfig, { ...valid, PORT: '', NODE_ENV: '', WORKERS: '', MODE: '' });
    expect(config.PORT).toBe(0);
    expect(config.NODE_ENV).toBe('development');
    expect(config.WORKERS).toBe(4);
    expect(config.MODE).toBe('safe');
  });

  it('ignores variables the class does not declare', () => {
    const config = loadConfig('tracker', WorkerConfig, { ...valid, HOME: '/root', UNRELATED_SECRET: 'x', PATH: '/bin' });
    expect(Object.keys(config)).not.toEqual(expect.arrayContaining(['HOME']));
    expect('UNRELATED_SECRET' in config).toBe(false);
    expect('PATH' in config).toBe(false);
  });

  it('reads process.env by default', () => {
    const saved = process.env.AMQP_PREFIX;
    process.env.AMQP_PREFIX = 'from-process-env';
    try {
      expect(loadConfig('tracker', BaseConfig).AMQP_PREFIX).toBe('from-process-env');
    } finally {
      if (saved === undefined) delete process.env.AMQP_PREFIX;
      else process.env.AMQP_PREFIX = saved;
    }
  });

  describe('an invalid value', () => {
    it('throws a ConfigError naming the service, the variable, the rule, the value and the hint', () => {
      const e = configError(() => loadConfig('importer', BaseConfig, { NODE_ENV: 'staging' }));
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.service).toBe('importer');
      expect(e.problems).toEqual([
        {
          variable: 'NODE_ENV',
          rule: 'NODE_ENV must be one of the following values: development, production, test (got "staging")',
          hint: 'Set NODE_ENV to development, production or test',
        },
      ]);
      expect(e.message).toBe(
        'Invalid configuration for importer:\n' +
          '  - NODE_ENV: NODE_ENV must be one of the following values: development, production, test (got "staging"). Set NODE_ENV to development, production or test',
      );
    });

    it('lists every invalid variable, with a hint only where the class has one', () => {
      const e = configError(() => loadConfig('importer', WorkerConfig, { ...valid, WORKERS: '11', MODE: 'turbo' }));
      expect(e.problems.map((p) => p.variable).sort()).toEqual(['MODE', 'WORKERS']);
      const workers = e.problems.find((p) => p.variable === 'WORKERS');
      expect(workers?.rule).toBe('WORKERS must not be greater than 10 (got "11")');
      expect(workers?.hint).toBe('WORKERS is how many batches run at once');
      expect(e.problems.find((p) => p.variable === 'MODE')?.hint).toBeUndefined();
      expect(e.message).toContain('  - WORKERS: WORKERS must not be greater than 10 (got "11"). WORKERS is how many batches run at once');
      expect(e.message.split('\n')).toContain('  - MODE: MODE must be one of the following values: fast, safe (got "turbo")');
    });

    it.each([
      ['0', 'WORKERS must not be less than 1 (got "0")'],
      ['2.5', 'WORKERS must be an integer number (got "2.5")'],
    ])('refuses WORKERS=%s outside an IntSetting whole number range, with its hint', (value, rule) => {
      const e = configError(() => loadConfig('importer', WorkerConfig, { ...valid, WORKERS: value }));
      expect(e.problems).toEqual([{ variable: 'WORKERS', rule, hint: 'WORKERS is how many batches run at once' }]);
    });

    it('shows what was set when a number does not parse', () => {
      const e = configError(() => loadConfig('tracker', BaseConfig, { PORT: 'eighty' }));
      expect(e.problems.map((p) => p.variable)).toEqual(expect.arrayContaining(['PORT']));
      expect(e.problems.every((p) => p.variable === 'PORT' && p.rule.endsWith('(got "eighty")'))).toBe(true);
      expect(e.problems.map((p) => p.rule)).toContain('PORT must be an integer number (got "eighty")');
      expect(e.message).not.toContain('got null');
    });

    it('reports a required variable that has no default and is not set', () => {
      const e = configError(() => loadConfig('tracker', WorkerConfig, {}));
      expect(e.problems.map((p) => p.variable)).toEqual(['REGION', 'REGION']);
      expect(e.message).toContain('Set REGION to the deployment region, e.g. eu-west');
    });
  });

  describe('secrets', () => {
    const leaked = 'hunter2-leaked-value';

    it.each(['SIGNING_SECRET', 'ADMIN_PASSWORD', 'ACCESS_TOKEN', 'AUTH_CLIENTS', 'api_key'])('never prints the value of %s', (variable) => {
      const e = configError(() => loadConfig('gateway', SecretsConfig, { [variable]: leaked }));
      expect(e.problems).toHaveLength(1);
      expect(e.problems[0].variable).toBe(variable);
      expect(e.problems[0].rule).toContain('(value hidden)');
      expect(e.message).toContain(variable);
      expect(e.message).not.toContain(leaked);
      expect(JSON.stringify(e.problems)).not.toContain(leaked);
    });

    it('masks the password of an invalid URL but shows the rest of it', () => {
      const e = configError(() =>
        loadConfig('tracker', BaseConfig, { DATABASE_URL: 'mysql://admin:s3cr3t-pw@db:3306/app', AMQP_URL: 'http://guest:rabbit-pw@mq:5672' }),
      );
      expect(e.message).not.toContain('s3cr3t-pw');
      expect(e.message).not.toContain('rabbit-pw');
      expect(e.message).toContain('DATABASE_URL: must be a postgres:// URL with a database name (got "mysql://admin:***@db:3306/app")');
      expect(e.message).toContain('Set DATABASE_URL, e.g.');
      expect(e.message).toContain('AMQP_URL: must be an amqp:// or amqps:// URL (got "http://guest:***@mq:5672")');
    });
  });

  describe('validateTogether', () => {
    it('reports the cross-variable problems as ConfigError problems', () => {
      const e = configError(() => loadConfig('order-placement', CrossCheckedConfig, { LOW: '20', HIGH: '10' }));
      expect(e.service).toBe('order-placement');
      expect(e.problems).toEqual([
        { variable: 'LOW', rule: 'must be below HIGH (10)' },
        { variable: 'HIGH', rule: 'must be above LOW' },
      ]);
      expect(e.message).toBe('Invalid configuration for order-placement:\n  - LOW: must be below HIGH (10)\n  - HIGH: must be above LOW');
    });

    it('passes when the variables agree', () => {
      const config = loadConfig('order-placement', CrossCheckedConfig, { LOW: '2', HIGH: '3' });
      expect([config.LOW, config.HIGH]).toEqual([2, 3]);
    });
  });
});
