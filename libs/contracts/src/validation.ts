import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Min, ValidateNested } from 'class-validator';

/** A class of nested objects, lazily, as class-transformer's `@Type` wants it (classes may be declared later). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type ClassOf = () => Function;

/**
 * The decorators as if written one above the other in this order: TypeScript applies a stack from
 * the bottom up, and class-validator reports a property's failed checks in the order they were
 * applied, so the messages read the same as with the stack written out.
 */
export function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (const decorate of [...decorators].reverse()) decorate(target, property);
  };
}

/** A contract class, as class-validator's metadata is keyed. */
export type ContractClass = abstract new (...args: never[]) => unknown;

/** The class of each nested property declared through the helpers below, for `compileCheck`. */
const NESTED_CLASSES = new WeakMap<object, Map<string, ClassOf>>();

/** class-transformer's `@Type`, the class also noted where `compileCheck` can find it. */
const NestedType =
  (type: ClassOf): PropertyDecorator =>
  (target, property) => {
    Type(type)(target, property);
    const owner = target.constructor;
    const classes = NESTED_CLASSES.get(owner) ?? new Map<string, ClassOf>();
    classes.set(String(property), type);
    NESTED_CLASSES.set(owner, classes);
  };

/** The class a nested property of `cls` (or of a class it extends) is validated as, when declared through the helpers below. */
export function nestedClassOf(cls: ContractClass, property: string): ContractClass | undefined {
  for (let c: object | null = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c) as object | null) {
    const type = NESTED_CLASSES.get(c)?.get(property);
    if (type) return type() as ContractClass;
  }
  return undefined;
}

/** A required object of the given class, validated as that class. */
export const RequiredNested = (type: ClassOf): PropertyDecorator => stacked(IsDefined(), ValidateNested(), NestedType(type));

/** An object of the given class when present, validated as that class. */
export const OptionalNested = (type: ClassOf): PropertyDecorator => stacked(IsOptional(), ValidateNested(), NestedType(type));

/** A required list of `min` (default 1) to `max` objects of the given class, each validated as that class. */
export const NestedList = (type: ClassOf, size: { min?: number; max: number }): PropertyDecorator =>
  stacked(IsArray(), ArrayMinSize(size.min ?? 1), ArrayMaxSize(size.max), ValidateNested({ each: true }), NestedType(type));

/** When present, a list of at most `max` objects of the given class, each validated as that class. */
export const OptionalNestedList = (type: ClassOf, max: number): PropertyDecorator =>
  stacked(IsOptional(), IsArray(), ArrayMaxSize(max), ValidateNested({ each: true }), NestedType(type));

/** A required list of 1 to `max` record numbers (whole numbers from 1), e.g. AsyncOperationNumbers. */
export const RecordNumberList = (max: number): PropertyDecorator =>
  stacked(IsArray(), ArrayMinSize(1), ArrayMaxSize(max), IsInt({ each: true }), Min(1, { each: true }));

/** When present, an ISO 8601 date or date-time (strict: the calendar date must exist). */
export const OptionalIsoDate = (): PropertyDecorator => stacked(IsOptional(), IsISO8601({ strict: true }));

/** One of an owner's records by its auto-number (a PendingOrderSummary, an OrderSummary). */
export class OwnedRecordRef {
  @IsString()
  ownerId!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  number!: number;
}

/**
 * What every request that submits a job carries besides its own fields: whose job it is, the id the
 * caller proposes for it, and the request id that ties the job to the HTTP request in the logs.
 */
export abstract class JobSubmissionRequest {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  /** Proposed by the caller only to name the job the same way on a retry (an Idempotency-Key's execution id); otherwise the service names it. */
  @IsOptional()
  @IsUUID()
  operationId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  requestId?: string;
}
