import { BaseConfig, IntSetting } from '@asyncops/platform';

export const IMPORTER_SCHEMA = 'importer';

export class ImporterConfig extends BaseConfig {
  override PORT = 3003;

  @IntSetting(1, 10_000, 'CSV rows per import batch (one transaction, cursor included)')
  IMPORT_BATCH_SIZE = 1000;

  @IntSetting(1, 200_000, 'CSV rows per batch of the imports that stream through COPY (vouchers): one transaction, cursor included')
  IMPORT_COPY_BATCH_SIZE = 20_000;

  @IntSetting(0, 1_000_000, 'Resident memory (MB) above which the importer runs a full garbage collection (at most once a second, and only after 48 MB of new growth); 0 turns it off')
  MEMORY_TARGET_MB = 200;

  @IntSetting(1, 90, 'Days a finished import keeps its failure report downloadable (reports_available_till)')
  REPORT_RETENTION_DAYS = 7;

  @IntSetting(1, 3650, 'Days the importer keeps a finished async action row (the tracker keeps the operation OPERATION_RETENTION_DAYS)')
  ACTION_RETENTION_DAYS = 30;

  @IntSetting(1, 720, 'Hours an upload that never became an import (aborted, refused or never started) is kept')
  UPLOAD_RETENTION_HOURS = 24;

  @IntSetting(100, 86_400_000, 'Milliseconds between retention sweeps')
  SWEEP_INTERVAL_MS = 60_000;
}
