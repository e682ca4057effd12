import { CreateMessagingTables1764000000000 } from './1764000000000-CreateMessagingTables';
import { CreateImportTables1764200000000 } from './1764200000000-CreateImportTables';
import { StoreUploadChunksUncompressed1764900000000 } from './1764900000000-StoreUploadChunksUncompressed';

/** In order; apps apply pending ones at start-up. */
export const IMPORTER_MIGRATIONS = [CreateMessagingTables1764000000000, CreateImportTables1764200000000, StoreUploadChunksUncompressed1764900000000];
