import { CreateOperations1764000000000 } from './1764000000000-CreateOperations';
import { TombstoneOperationNumber1764100000000 } from './1764100000000-TombstoneOperationNumber';
import { CreateOperationEventLog1764500000000 } from './1764500000000-CreateOperationEventLog';
import { CreateWebhooks1764600000000 } from './1764600000000-CreateWebhooks';
import { WebhookSecretKeyId1764713000000 } from './1764713000000-WebhookSecretKeyId';

/** In order; the TypeORM CLI and the app both read this list. */
export const TRACKER_MIGRATIONS = [
  CreateOperations1764000000000,
  TombstoneOperationNumber1764100000000,
  CreateOperationEventLog1764500000000,
  CreateWebhooks1764600000000,
  WebhookSecretKeyId1764713000000,
];
