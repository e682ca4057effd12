import { messagingTablesMigration } from '@asyncops/messaging';

export class CreateMessagingTables1764000000000 extends messagingTablesMigration('CreateMessagingTables1764000000000', 'order_placement') {}
