import { Injectable } from '@nestjs/common';
import { USER_KEY_PREFIX } from '@asyncops/contracts';
import { ClientRegistry } from '../../../core/auth/client-registry';
import { ownerRecordId } from '../ids/record-id';
import type { PlannerContext } from '@asyncops/soql';

/** Owner ids remembered; only authenticated clients ever reach here, so this is a bound, not an eviction policy. */
const OWNER_IDS = 10_000;

/** The API client as the Salesforce surface shows it: the owner (a User) of its records. */
@Injectable()
export class SalesforceCallers {
  /** A client's owner id is a SHA-256 of its id: computed once per client, not once per request. */
  private readonly ownerIds = new Map<string, string>();

  constructor(private readonly clients: ClientRegistry) {}

  of(clientId: string, now = new Date()): PlannerContext {
    return {
      ownerId: clientId,
      ownerRecordId: this.ownerRecordId(clientId),
      ownerName: this.clients.find(clientId)?.name ?? clientId,
      now,
    };
  }

  private ownerRecordId(clientId: string): string {
    let id = this.ownerIds.get(clientId);
    if (id === undefined) {
      id = ownerRecordId(USER_KEY_PREFIX, clientId);
      if (this.ownerIds.size >= OWNER_IDS) this.ownerIds.clear();
      this.ownerIds.set(clientId, id);
    }
    return id;
  }
}
