import { IsEmail, IsObject, IsOptional, Length, Matches } from 'class-validator';

/*
 * The field rules the resources share, CSV rows and JSON changes alike, so a field is checked (and its
 * failure worded) the same way whichever way it arrives.
 */

/** An optional field: absent is fine, present must pass the rule. Applied in the order `@IsOptional() @Rule()` would be. */
function optional(rule: PropertyDecorator): PropertyDecorator {
  return (target, property) => {
    rule(target, property);
    IsOptional()(target, property);
  };
}

export const SourceIdRule = () => Length(1, 255, { message: 'source_id is required and must be at most 255 characters' });
export const NameRule = () => optional(Length(1, 255, { message: 'name must be at most 255 characters' }));
export const EmailRule = () => optional(IsEmail({}, { message: 'email must be a valid email address' }));
export const PhoneRule = () => optional(Length(1, 64, { message: 'phone must be at most 64 characters' }));
export const PriceRule = () => optional(Matches(/^\d{1,15}$/, { message: 'price must be a non-negative integer amount in cents' }));
export const MetadataRule = () => optional(IsObject({ message: 'metadata must be an object' }));

/** The key of a CSV row keyed by source_id, as its failure names it. */
export const sourceIdOf = (cells: Record<string, string>): string => cells.source_id?.trim() ?? '';
