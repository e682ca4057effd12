import { ObjectStorage, StoredColumn } from '../sql/object-storage';

/** The fields of AsyncOperationTracker read from table alias `a` (the record or its parent). */
function trackerColumns(S: string, a: string): Record<string, StoredColumn> {
  return {
    Id: { sql: `${a}."async_operation_number"`, kind: 'number' },
    // Same display format as formatOperationNumber, computed in SQL so it can be filtered and sorted.
    AsyncOperationNumber: { sql: `('AON-' || lpad(${a}."async_operation_number"::text, 10, '0'))`, kind: 'text', caseInsensitive: true },
    CorrelationIdentifier: { sql: `${a}."correlation_identifier"`, kind: 'text', caseInsensitive: true },
    ExpiresAt: { sql: `${a}."expires_at"`, kind: 'timestamp' },
    FailedJobItems: { sql: `${a}."failed_job_items"`, kind: 'number' },
    FinishedAt: { sql: `${a}."finished_at"`, kind: 'timestamp' },
    JobType: { sql: `${a}."job_type"`, kind: 'text' },
    LastReferencedDate: { sql: `${a}."last_referenced_date"`, kind: 'timestamp' },
    LastViewedDate: { sql: `${a}."last_viewed_date"`, kind: 'timestamp' },
    OwnerId: { sql: `${a}."owner_id"`, kind: 'text' },
    ParentOperationId: {
      sql:
        a === 'o'
          ? `p."async_operation_number"`
          : `(SELECT g."async_operation_number" FROM "${S}"."async_operation" g WHERE g."id" = ${a}."parent_operation_id" AND g."owner_id" = ${a}."owner_id")`,
      kind: 'number',
    },
    ReferenceEntityId: { sql: `${a}."reference_entity_id"`, kind: 'text', caseInsensitive: true },
    StartedAt: { sql: `${a}."started_at"`, kind: 'timestamp' },
    // Salesforce's picklist has no Cancelled (toSalesforceStatus): a cancelled record reads, filters,
    // sorts and groups as Failure, so `Status = 'Failure'` finds it and no client sees an unknown value.
    Status: { sql: `(CASE ${a}."status" WHEN 'Cancelled' THEN 'Failure' ELSE ${a}."status" END)`, kind: 'text' },
    StepName: { sql: `${a}."step_name"`, kind: 'text' },
    SubmittedAt: { sql: `${a}."submitted_at"`, kind: 'timestamp' },
    SuccessfulJobItems: { sql: `${a}."successful_job_items"`, kind: 'number' },
    TotalJobItems: { sql: `${a}."total_job_items"`, kind: 'number' },
  };
}

/**
 * AsyncOperationTracker in the tracker's schema `S`. The parent joins on the same owner: a parent
 * owned by another client is invisible, as a record of another owner is everywhere else.
 */
export function asyncOperationTrackerStorage(S: string): ObjectStorage {
  const parent = Object.fromEntries(Object.entries(trackerColumns(S, 'p')).map(([name, col]) => [`ParentOperation.${name}`, col]));
  return {
    table: `"${S}"."async_operation"`,
    from: `"${S}"."async_operation" o LEFT JOIN "${S}"."async_operation" p ON p."id" = o."parent_operation_id" AND p."owner_id" = o."owner_id"`,
    ownerColumnName: 'owner_id',
    numberColumnName: 'async_operation_number',
    columns: {
      ...trackerColumns(S, 'o'),
      ...parent,
      'Owner.Id': { sql: `o."owner_id"`, kind: 'text' },
      'Owner.Name': { sql: `o."owner_id"`, kind: 'text' },
    },
    relationships: {
      ParentOperation: { sql: `p."async_operation_number"`, kind: 'number' },
      Owner: { sql: `o."owner_id"`, kind: 'text' },
    },
    // Written by the tracker's triggers on async_operation (migration OwnerChangeLog).
    changeLog: `"${S}"."owner_change"`,
    viewedColumns: {
      lastViewed: 'last_viewed_date',
      lastReferenced: 'last_referenced_date',
      lastViewedField: 'LastViewedDate',
      lastReferencedField: 'LastReferencedDate',
    },
  };
}
