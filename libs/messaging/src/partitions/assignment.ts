/**
 * Which partitions each live consumer should hold: partition p goes to the (p mod n)-th of the n
 * live members in id order. Every member computes the same answer from the same member list, so
 * shares are disjoint and differ by at most one partition.
 */
export function targetPartitions(members: readonly string[], self: string, count: number): number[] {
  const live = [...new Set(members.includes(self) ? members : [...members, self])].sort();
  const index = live.indexOf(self);
  const out: number[] = [];
  for (let p = 0; p < count; p++) if (p % live.length === index) out.push(p);
  return out;
}

export interface LeasePlan {
  /** Held now but not a target: stop consuming, let in-flight work finish, then give up the lease. */
  release: number[];
  /** Targets not held: take the lease where it is free or expired, then consume. */
  acquire: number[];
  /** Consumed but the lease is no longer ours (it expired and another took it): stop at once. */
  lost: number[];
}

/**
 * The step from what a member consumes and what its leases still say it holds (`renewed`, those
 * its last renewal kept) to its targets.
 */
export function planLeases(consuming: readonly number[], renewed: readonly number[], targets: readonly number[]): LeasePlan {
  const held = new Set(renewed);
  const want = new Set(targets);
  const lost = consuming.filter((p) => !held.has(p));
  const release = [...held].filter((p) => !want.has(p)).sort((a, b) => a - b);
  const acquire = targets.filter((p) => !held.has(p));
  return { release, acquire, lost };
}
