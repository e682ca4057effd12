import { Module } from '@nestjs/common';
import { OperationWaiter } from './operation-waiter';
import { TrackerClient } from './tracker-client';

/** Reads and writes of the tracker's operations, and waits on their changes, for every dialect. */
@Module({
  providers: [TrackerClient, OperationWaiter],
  exports: [TrackerClient, OperationWaiter],
})
export class TrackerModule {}
