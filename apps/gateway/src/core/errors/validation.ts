import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { FieldError, ValidationFailedError } from './gateway-errors';

/** Flattens class-validator's tree into one entry per field and rule, with dotted paths. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule,
      // class-validator words unknown properties as "property x should not exist"; say what to do.
      message: rule === 'whitelistValidation' ? `${field} is not a known field; remove it` : message,
    }));
    return own.concat(toFieldErrors(e.children ?? [], field));
  });
}

/**
 * Unknown fields are refused rather than dropped: a misspelt optional field would otherwise be
 * ignored silently and the caller would never learn why it had no effect.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(toFieldErrors(errors)),
  });
}
