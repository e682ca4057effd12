import type { EntityManager } from 'typeorm';
import { ImportBatchCommand, ImporterCommands, ImportType, METADATA_PURGE_TYPES, PurgeableResource } from '@asyncops/contracts';
import { operationCommand } from '@asyncops/messaging';
import type { CAMPAIGN_DELETE_TYPE, CAMPAIGN_UPDATE_TYPE, GENERATE_TYPE } from '../../generation/code-generator';
import { nameBasedMessageId } from '../../message-ids';

/** The producer name the importer's operations carry in the tracker. */
export const PRODUCER = 'importer';

export type PurgeType = (typeof METADATA_PURGE_TYPES)[PurgeableResource];

export type ActionType = ImportType | typeof GENERATE_TYPE | typeof CAMPAIGN_UPDATE_TYPE | typeof CAMPAIGN_DELETE_TYPE | PurgeType;

/** A row of `importer.async_action`: one per action, the batch cursor and counts of its run so far. */
export interface ActionRow {
  operation_id: string;
  owner_id: string;
  type: ActionType;
  upload_id: string | null;
  campaign_id: string | null;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  batch_number: number;
  byte_offset: string;
  total_bytes: string;
  rows_read: number;
  done_count: number;
  failed_count: number;
  /** The CSV header once read; the kinds without a file keep their parameters and cursor here. */
  columns: string[] | null;
  last_reported_at: Date | null;
  reports_available_till: Date | null;
  cancel_requested_at: Date | null;
  request_id: string | null;
  created_at: Date;
}

export async function findAction(m: EntityManager, operationId: string): Promise<ActionRow | undefined> {
  const [action]: ActionRow[] = await m.query(`SELECT * FROM "importer"."async_action" WHERE "operation_id" = $1`, [operationId]);
  return action;
}

/** Deterministic ids: a batch command written twice is deduplicated by the consumer. */
export function importBatchMessage(cmd: ImportBatchCommand) {
  return operationCommand(ImporterCommands.ImportBatch, cmd, nameBasedMessageId(`import-batch:${cmd.operationId}:${cmd.batch}`));
}
