import { Injectable } from '@nestjs/common';
import {
  ACCOUNT_KEY_PREFIX,
  CONTACT_KEY_PREFIX,
  encodeRecordId,
  PENDING_ORDER_SUMMARY_KEY_PREFIX,
  PendingOrderQueryRequest,
  PendingOrderQueryRpc,
  PendingOrderSelectable,
  salesforceDateTime,
} from '@asyncops/contracts';
import { GatewayRpc } from '../../../errors/gateway-rpc';
import type { LocatorState } from '../../query/query-locator';
import { PENDING_ORDER_SUMMARY } from '../pending-order-summary.describe';
import { currencyValue } from '../pending-order-summary.record';
import { planPendingOrderQuery } from './pending-order-soql';

const PARENTS = { Account: ACCOUNT_KEY_PREFIX, BillToContact: CONTACT_KEY_PREFIX } as const;
const ID_PREFIXES: Partial<Record<string, string>> = { Id: PENDING_ORDER_SUMMARY_KEY_PREFIX, AccountId: ACCOUNT_KEY_PREFIX, BillToContactId: CONTACT_KEY_PREFIX };

export interface QueryPage {
  totalSize: number;
  done: boolean;
  records: unknown[];
  nextRecordsUrl?: string;
}

/** `/query` for PendingOrderSummary: planned here under the seed's rules, run by order-placement. */
@Injectable()
export class PendingOrderQueries {
  constructor(private readonly rpc: GatewayRpc) {}

  async page(version: string, clientId: string, state: LocatorState, nextLocator: (next: LocatorState) => string): Promise<QueryPage> {
    const plan = planPendingOrderQuery(state.q);
    // Id and the parents' ids are always fetched: records and their parents carry their urls.
    const select: PendingOrderSelectable[] = [...plan.requested];
    const need = (p: PendingOrderSelectable) => {
      if (!select.includes(p)) select.push(p);
    };
    need('Id');
    if (plan.requested.some((p) => p.startsWith('Account.'))) need('Account.Id');
    if (plan.requested.some((p) => p.startsWith('BillToContact.'))) need('BillToContact.Id');
    const request: PendingOrderQueryRequest = {
      ownerId: clientId,
      select,
      where: plan.where,
      orderBy: plan.orderBy,
      offset: state.offset,
      pageSize: state.batch,
      ...(plan.limit !== undefined ? { limit: plan.limit } : {}),
    };
    const res = await this.rpc.call(PendingOrderQueryRpc.Query, request);
    const records = res.rows.map((row) => this.record(version, plan.requested, select, row));
    const served = state.offset + records.length;
    const done = records.length === 0 || served >= res.totalSize;
    const body: QueryPage = { totalSize: res.totalSize, done, records };
    if (!done) body.nextRecordsUrl = `/services/data/v${version}/${state.all ? 'queryAll' : 'query'}/${nextLocator({ ...state, offset: served, totalSize: res.totalSize })}`;
    return body;
  }

  private record(version: string, requested: readonly PendingOrderSelectable[], select: readonly PendingOrderSelectable[], row: ReadonlyArray<string | number | null>) {
    const value = (p: PendingOrderSelectable) => row[select.indexOf(p)];
    const id = encodeRecordId(PENDING_ORDER_SUMMARY_KEY_PREFIX, Number(value('Id')));
    const out: Record<string, unknown> = { attributes: { type: PENDING_ORDER_SUMMARY, url: `/services/data/v${version}/sobjects/${PENDING_ORDER_SUMMARY}/${id}` } };
    for (const p of requested) {
      const v = value(p);
      const dot = p.indexOf('.');
      if (dot > 0) {
        const rel = p.slice(0, dot) as keyof typeof PARENTS;
        const field = p.slice(dot + 1);
        const parentNumber = value(`${rel}.Id` as PendingOrderSelectable);
        if (parentNumber === null) {
          out[rel] = null;
          continue;
        }
        const parentId = encodeRecordId(PARENTS[rel], Number(parentNumber));
        const parent = (out[rel] as Record<string, unknown> | undefined) ?? {
          attributes: { type: rel === 'Account' ? 'Account' : 'Contact', url: `/services/data/v${version}/sobjects/${rel === 'Account' ? 'Account' : 'Contact'}/${parentId}` },
        };
        parent[field] = field === 'Id' ? parentId : v;
        out[rel] = parent;
      } else if (p === 'convertCurrency(GrandTotalAmount)' || p === 'GrandTotalAmount') {
        out.GrandTotalAmount = v === null ? null : currencyValue(String(v));
      } else if (ID_PREFIXES[p]) {
        out[p] = v === null ? null : encodeRecordId(ID_PREFIXES[p] as string, Number(v));
      } else if (p === 'OrderedDate') {
        out[p] = v === null ? null : salesforceDateTime(String(v));
      } else out[p] = v;
    }
    return out;
  }
}
