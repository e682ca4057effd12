import { SoqlError } from '../src/errors';
import { planSoql, PlannerContext } from '../src/planner/soql-planner';
import type { SObjectDescription } from '../src/sobject-description';

/** The planner's context in the specs: the owner `acme` (Acme ERP) on Wednesday 2024-05-15 at 10:20:30 UTC. */
export const SPEC_CONTEXT: PlannerContext = { ownerId: 'acme', ownerRecordId: '005000000000042AAA', ownerName: 'Acme ERP', now: new Date('2024-05-15T10:20:30.000Z') };

/** The SoqlError the planner refuses `soql` with; a query it plans, or any other error, fails the spec. */
export function refusalOf(soql: string, objects: readonly SObjectDescription[], ctx: PlannerContext = SPEC_CONTEXT): SoqlError {
  try {
    planSoql(soql, objects, ctx);
  } catch (e) {
    if (e instanceof SoqlError) return e;
    throw e;
  }
  throw new Error(`expected ${soql} to be refused`);
}
