import { Injectable } from '@nestjs/common';
import { USER_KEY_PREFIX } from '@asyncops/contracts';
import { ClientRegistry } from '../../../core/auth/client-registry';
import { ownerRecordId } from '../ids/record-id';
import type { PlannerContext } from '@asyncops/soql';

/** The API client as the Salesforce surface shows it: the owner (a User) of its records. */
@Injectable()
export class SalesforceCallers {
  constructor(private readonly clients: ClientRegistry) {}

  of(clientId: string, now = new Date()): PlannerContext {
    return {
      ownerId: clientId,
      ownerRecordId: ownerRecordId(USER_KEY_PREFIX, clientId),
      ownerName: this.clients.find(clientId)?.name ?? clientId,
      now,
    };
  }
}
