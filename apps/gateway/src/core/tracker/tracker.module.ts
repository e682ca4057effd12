import { Module } from '@nestjs/common';
import { OperationViewCache } from './operation-view-cache';
import { OperationWaiter } from './operation-waiter';
import { TrackerClient } from './tracker-client';

/** Reads and writes of the tracker's operations, and waits on their changes, for every dialect. */
@Module({
  providers: [TrackerClient, OperationWaiter, OperationViewCache],
  exports: [TrackerClient, OperationWaiter, OperationViewCache],
})
export class TrackerModule {}
