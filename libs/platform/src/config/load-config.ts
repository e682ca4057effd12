import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsInt, Max, Min, validateSync, ValidationError } from 'class-validator';

const HINTS = Symbol('config-hints');

/** Attaches a human hint to a configuration variable; shown when the variable is invalid. */
export function Hint(text: string): PropertyDecorator {
  return (target, key) => {
    const hints: Record<string, string> = Reflect.getMetadata(HINTS, target) ?? {};
    Reflect.defineMetadata(HINTS, { ...hints, [String(key)]: text }, target);
  };
}

/** A whole number from `min` to `max` (inclusive), set as a string in the environment; `hint` as for Hint. */
export function IntSetting(min: number, max: number, hint?: string): PropertyDecorator {
  // Applied in the order stacked decorators are (the last first), so problems are listed as before.
  const decorators = [...(hint === undefined ? [] : [Hint(hint)]), Max(max), Min(min), IsInt(), Type(() => Number)];
  return (target, key) => decorators.forEach((d) => d(target, key));
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly service: string,
    readonly problems: ReadonlyArray<{ variable: string; rule: string; hint?: string }>,
  ) {
    super(
      `Invalid configuration for ${service}:\n` +
        problems.map((p) => `  - ${p.variable}: ${p.rule}${p.hint ? `. ${p.hint}` : ''}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/**
 * Reads a config class from environment variables. Defaults live on the class as property
 * initialisers, so the class is the single place that documents every variable.
 */
export function loadConfig<T extends object>(
  service: string,
  cls: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const defaults = new cls();
  const known = Object.keys(defaults).concat(Object.keys(Reflect.getMetadata(HINTS, cls.prototype) ?? {}));
  const raw: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const key of new Set(known)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const instance: T = plainToInstance(cls, raw as object, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: false });
  if (errors.length) {
    const hints: Record<string, string> = Reflect.getMetadata(HINTS, cls.prototype) ?? {};
    throw new ConfigError(service, flatten(errors, raw).map((e) => ({ ...e, hint: hints[e.variable] })));
  }
  const crossCheck = (instance as { validateTogether?: () => string[] }).validateTogether?.() ?? [];
  if (crossCheck.length) {
    throw new ConfigError(
      service,
      crossCheck.map((rule) => ({ variable: rule.split(':')[0], rule: rule.slice(rule.indexOf(':') + 1).trim() })),
    );
  }
  return instance;
}

/** Variables whose values must never reach a log line, even when they are wrong. */
const SECRET_NAME = /SECRET|PASSWORD|TOKEN|CLIENTS|KEY/i;

function shown(variable: string, value: unknown): string {
  if (SECRET_NAME.test(variable)) return 'value hidden';
  if (typeof value === 'string') return `got ${JSON.stringify(value.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@'))}`;
  return `got ${JSON.stringify(value)}`;
}

/** Shows the value as it was set (`raw`), not as converted: PORT=eighty must not read "got null". */
function flatten(errors: ValidationError[], raw: Record<string, unknown>): Array<{ variable: string; rule: string }> {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((rule) => ({
      variable: e.property,
      rule: `${rule} (${shown(e.property, e.property in raw ? raw[e.property] : e.value)})`,
    })),
  );
}
