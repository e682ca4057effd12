import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseConfig, Hint } from '@asyncops/platform';

export const IMPORTER_SCHEMA = 'importer';

export class ImporterConfig extends BaseConfig {
  override PORT = 3003;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  @Hint('CSV rows per import batch (one transaction, cursor included)')
  IMPORT_BATCH_SIZE = 1000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200_000)
  @Hint('CSV rows per batch of the imports that stream through COPY (vouchers): one transaction, cursor included')
  IMPORT_COPY_BATCH_SIZE = 20_000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  @Hint('Resident memory (MB) above which the importer runs a full garbage collection (at most once a second, and only after 48 MB of new growth); 0 turns it off')
  MEMORY_TARGET_MB = 200;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90)
  @Hint('Days a finished import keeps its failure report downloadable (reports_available_till)')
  REPORT_RETENTION_DAYS = 7;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  @Hint('Days the importer keeps a finished async action row (the tracker keeps the operation OPERATION_RETENTION_DAYS)')
  ACTION_RETENTION_DAYS = 30;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  @Hint('Hours an upload that never became an import (aborted, refused or never started) is kept')
  UPLOAD_RETENTION_HOURS = 24;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  @Hint('Milliseconds between retention sweeps')
  SWEEP_INTERVAL_MS = 60_000;
}
