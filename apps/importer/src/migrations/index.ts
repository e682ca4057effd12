import { CreateMessagingTables1764000000000 } from './1764000000000-CreateMessagingTables';
import { CreateImportTables1764200000000 } from './1764200000000-CreateImportTables';
import { CancellationAndCampaignFields1764714100000 } from './1764714100000-CancellationAndCampaignFields';
import { StoreUploadChunksUncompressed1764900000000 } from './1764900000000-StoreUploadChunksUncompressed';
import { CreateRpcReplies1764910000000 } from './1764910000000-CreateRpcReplies';
import { OutboxPublishAfter1764920000000 } from './1764920000000-OutboxPublishAfter';

/** In order; apps apply pending ones at start-up. */
export const IMPORTER_MIGRATIONS = [CreateMessagingTables1764000000000, CreateImportTables1764200000000, CancellationAndCampaignFields1764714100000, StoreUploadChunksUncompressed1764900000000, CreateRpcReplies1764910000000, OutboxPublishAfter1764920000000];
