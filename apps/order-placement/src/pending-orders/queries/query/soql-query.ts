import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SoqlQueryRequest, SoqlQueryResponse } from '@asyncops/contracts';
import { arrayQuery } from '@asyncops/persistence';
import { ORDER_SUMMARY, orderSummaryStorage, PENDING_ORDER_SUMMARY_OBJECT, pendingOrderSummaryStorage, SoqlExecutor } from '@asyncops/soql';
import { SCHEMA } from '../../../orders/order-row';

/** The objects this service answers SOQL for, each under its own rules (see their descriptions). */
const SOQL = new SoqlExecutor([
  { description: PENDING_ORDER_SUMMARY_OBJECT, storage: pendingOrderSummaryStorage(SCHEMA) },
  { description: ORDER_SUMMARY, storage: orderSummaryStorage(SCHEMA) },
]);

/** Runs a plan the gateway lowered; the executor checks it again against the objects' rules. */
@Injectable()
export class SummariesSoqlQuery {
  page(m: EntityManager, req: SoqlQueryRequest): Promise<SoqlQueryResponse> {
    return SOQL.page(arrayQuery(m), req);
  }
}
