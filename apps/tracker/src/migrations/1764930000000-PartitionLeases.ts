import { partitionLeaseMigration } from '@asyncops/messaging';

/** Lifecycle events are partitioned by operation; replicas lease disjoint shares of the partitions. */
export class PartitionLeases1764930000000 extends partitionLeaseMigration('PartitionLeases1764930000000', 'tracker') {}
