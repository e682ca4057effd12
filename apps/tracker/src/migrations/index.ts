import { CreateOperations1764000000000 } from './1764000000000-CreateOperations';
import { TombstoneOperationNumber1764100000000 } from './1764100000000-TombstoneOperationNumber';
import { CreateOperationEventLog1764500000000 } from './1764500000000-CreateOperationEventLog';
import { CreateWebhooks1764600000000 } from './1764600000000-CreateWebhooks';
import { TombstoneNumberIndex1764700000000 } from './1764700000000-TombstoneNumberIndex';
import { WebhookSecretKeyId1764713000000 } from './1764713000000-WebhookSecretKeyId';
import { AllowCancelledStatus1764714000000 } from './1764714000000-AllowCancelledStatus';
import { CreateRpcReplies1764910000000 } from './1764910000000-CreateRpcReplies';
import { OutboxPublishAfter1764920000000 } from './1764920000000-OutboxPublishAfter';
import { PartitionLeases1764930000000 } from './1764930000000-PartitionLeases';
import { OwnerChangeLog1764940000000 } from './1764940000000-OwnerChangeLog';

/** In order; the TypeORM CLI and the app both read this list. */
export const TRACKER_MIGRATIONS = [
  CreateOperations1764000000000,
  TombstoneOperationNumber1764100000000,
  CreateOperationEventLog1764500000000,
  CreateWebhooks1764600000000,
  TombstoneNumberIndex1764700000000,
  WebhookSecretKeyId1764713000000,
  AllowCancelledStatus1764714000000,
  CreateRpcReplies1764910000000,
  OutboxPublishAfter1764920000000,
  PartitionLeases1764930000000,
  OwnerChangeLog1764940000000,
];
