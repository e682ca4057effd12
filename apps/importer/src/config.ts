import { BaseConfig } from '@asyncops/platform';

export const IMPORTER_SCHEMA = 'importer';

export class ImporterConfig extends BaseConfig {
  override PORT = 3003;
}
