import { SALESFORCE_OBJECTS, SObjectDescription } from '@asyncops/contracts';
import { malformedId, notAnId, resourceNotFound } from '../errors/salesforce-error';
import { decodeRecordId } from '../ids/record-id';

/** The object a path names, matched case-insensitively as Salesforce does. */
export function sobjectNamed(name: string): SObjectDescription {
  const o = SALESFORCE_OBJECTS.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!o) throw resourceNotFound();
  return o;
}

/** The auto-number a record id encodes, or Salesforce's error for an id that is not one of this object's. */
export function recordNumberOf(object: SObjectDescription, id: string): number {
  const decoded = decodeRecordId(object.keyPrefix, id);
  if (decoded.ok) return decoded.number;
  throw decoded.problem === 'shape' ? notAnId(id) : malformedId(object.name, id);
}
