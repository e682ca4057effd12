import { TransformationType } from 'class-transformer';
import type { MetadataStorage as TransformerMetadata } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { ContractClass, nestedClassOf } from './validation';

/** class-transformer's decorator metadata: the package exports its storage only from this module, without typings of its own. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformerStorage = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadata }).defaultMetadataStorage;

/** Whether a plain, JSON-decoded value passes a contract class's rules. */
export type CompiledCheck = (value: unknown) => boolean;

type FieldCheck = (object: Record<string, unknown>, value: unknown) => boolean;

/**
 * A predicate over plain objects derived from a contract class's class-validator metadata: the
 * same constraint instances with the same arguments, run without an instance of the class and
 * without class-validator's error bookkeeping. For lists of thousands of records, where building
 * and validating instances costs more than the work the message asks for. The class stays the one
 * place its rules are written.
 *
 * It answers for `validateMessage`'s options (whitelist, non-whitelisted properties forbidden, no
 * groups) and is conservative: `true` only where `plainToInstance` + `validateSync` would find no
 * error, so a `false` is settled by the class path, whose errors are the ones reported. Nested
 * objects are followed through the classes the helpers of `./validation` declare (`NestedList`,
 * `RequiredNested`, …); a class whose rules it cannot mirror (other nested validation, async or
 * promise validation, no rules at all) gets `undefined`: check it the ordinary way.
 *
 * A body it passes is handed on as decoded, so it also refuses (`undefined`) every class whose
 * instance would differ from that plain object: class-transformer decorators other than those
 * helpers' `@Type`s (`@Type(() => Number)`, `@Transform`, `@Expose`, `@Exclude` change or rename
 * values before validation, which a predicate over the plain value cannot see), property
 * initializers (defaults an instance has and the body may lack) and methods or accessors on the
 * prototype (which a handler could call).
 */
export function compileCheck(cls: ContractClass): CompiledCheck | undefined {
  const compiled = new Map<ContractClass, ((object: Record<string, unknown>) => boolean) | null>();
  const objectCheck = compileObject(cls, compiled);
  if (!objectCheck) return undefined;
  return (value) => isPlainRecord(value) && objectCheck(value);
}

const isPlainRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function compileObject(cls: ContractClass, compiled: Map<ContractClass, ((object: Record<string, unknown>) => boolean) | null>): ((object: Record<string, unknown>) => boolean) | undefined {
  if (compiled.has(cls)) return compiled.get(cls) ?? undefined;
  compiled.set(cls, null);
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(cls, '', false, false);
  // forbidUnknownValues: a class without rules is an error for class-validator.
  if (!metadatas.length) return undefined;
  const grouped = storage.groupByPropertyName(metadatas);
  if (!decodesAsPlain(cls, Object.keys(grouped))) return undefined;
  const fields: Array<[string, FieldCheck]> = [];
  for (const [property, metas] of Object.entries(grouped)) {
    const check = compileField(cls, property, metas, compiled);
    if (!check) return undefined;
    fields.push([property, check]);
  }
  const known = new Set(Object.keys(grouped));
  const check = (object: Record<string, unknown>): boolean => {
    // whitelist + forbidNonWhitelisted: every property must be one the class has rules for.
    for (const key of Object.keys(object)) if (!known.has(key)) return false;
    for (const [property, field] of fields) if (!field(object, Object.hasOwn(object, property) ? object[property] : undefined)) return false;
    return true;
  };
  compiled.set(cls, check);
  return check;
}

/**
 * Whether `plainToInstance(cls, body)` holds nothing the decoded body does not: no renaming or
 * converting decorators, no defaults, nothing callable. Nested classes are checked when compiled.
 */
function decodesAsPlain(cls: ContractClass, properties: string[]): boolean {
  const target = cls as unknown as new () => object;
  if (transformerStorage.getExposedMetadatas(target).length || transformerStorage.getExcludedMetadatas(target).length) return false;
  if (transformerStorage.getStrategy(target) !== 'none') return false;
  for (const property of properties) {
    if (transformerStorage.findTransformMetadatas(target, property, TransformationType.PLAIN_TO_CLASS).length) return false;
    // The helpers' `@Type`s name the nested class; any other `@Type` converts the value.
    if (transformerStorage.findTypeMetadata(target, property) && !nestedClassOf(cls, property)) return false;
  }
  for (let proto: object | null = target.prototype as object; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    if (Object.getOwnPropertyNames(proto).some((name) => name !== 'constructor')) return false;
  }
  try {
    return Object.keys(new target()).length === 0;
  } catch {
    return false;
  }
}

function compileField(cls: ContractClass, property: string, metas: ValidationMetadata[], compiled: Map<ContractClass, ((object: Record<string, unknown>) => boolean) | null>): FieldCheck | undefined {
  const targetName = cls.name;
  const conditions: Array<(object: object, value: unknown) => boolean> = [];
  const rules: Array<(object: Record<string, unknown>, value: unknown) => boolean> = [];
  let nested: FieldCheck | undefined;
  for (const meta of metas) {
    switch (meta.type) {
      case ValidationTypes.WHITELIST:
        break;
      case ValidationTypes.CONDITIONAL_VALIDATION:
        conditions.push(meta.constraints[0] as (object: object, value: unknown) => boolean);
        break;
      case ValidationTypes.IS_DEFINED:
      case ValidationTypes.CUSTOM_VALIDATION: {
        const constraints = getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls);
        if (!constraints.length || constraints.some((c) => c.async)) return undefined;
        for (const c of constraints) {
          const validate = (value: unknown, object: Record<string, unknown>): boolean => {
            const args: ValidationArguments = { targetName, property: meta.propertyName, object, value, constraints: meta.constraints };
            const ok: unknown = c.instance.validate(value, args);
            // A promise here is a rule this predicate cannot wait for: the class path decides.
            return ok === true;
          };
          rules.push(
            meta.each
              ? (object, value) => (Array.isArray(value) ? value.every((v) => validate(v, object)) : validate(value, object))
              : (object, value) => validate(value, object),
          );
        }
        break;
      }
      case ValidationTypes.NESTED_VALIDATION: {
        const type = nestedClassOf(cls, property);
        if (!type || nested) return undefined;
        // A class that refers to itself is still being compiled here: the class path checks it.
        const target = compileObject(type, compiled);
        if (!target) return undefined;
        nested = (_object, value) => {
          if (value === undefined) return true;
          if (Array.isArray(value)) return value.every((v) => isPlainRecord(v) && target(v));
          return isPlainRecord(value) && target(value);
        };
        break;
      }
      default:
        return undefined;
    }
  }
  return (object, value) => {
    for (const condition of conditions) if (!condition(object, value)) return true;
    for (const rule of rules) if (!rule(object, value)) return false;
    return nested ? nested(object, value) : true;
  };
}
