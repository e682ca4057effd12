import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { decodeRecordId, ORDER_SUMMARY, RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { basicInfo, describeSObject } from '../describe/describe';
import { malformedId, notAnId, resourceNotFound } from '../errors/salesforce-error';
import { ApiVersionPipe } from '../http/api-version.pipe';
import { OrderSummariesClient } from './order-summaries.client';
import { orderSummaryRecord } from './order-summary.record';

/**
 * OrderSummary on the Salesforce surface: basic info, describe and retrieve with its lines.
 * Registered before the generic sobjects controller so these paths win over `sobjects/{object}/{id}`.
 */
@ApiTags('salesforce')
@Controller(`services/data/:version/sobjects/${ORDER_SUMMARY.name}`)
export class OrderSummaryController {
  constructor(private readonly summaries: OrderSummariesClient) {}

  @Get()
  info(@Param('version', ApiVersionPipe) version: string) {
    return basicInfo(ORDER_SUMMARY, version, []);
  }

  @Get('describe')
  describe(@Param('version', ApiVersionPipe) version: string) {
    return describeSObject(ORDER_SUMMARY, version);
  }

  @Get(':id')
  async retrieve(@Param('version', ApiVersionPipe) version: string, @Param('id') id: string, @AuthenticatedClientId() clientId: string) {
    const decoded = decodeRecordId(ORDER_SUMMARY.keyPrefix, id);
    if (!decoded.ok) throw decoded.problem === 'shape' ? notAnId(id) : malformedId(ORDER_SUMMARY.name, id);
    try {
      return orderSummaryRecord(await this.summaries.get(clientId, decoded.number), version);
    } catch (e) {
      if (e instanceof RpcError && e.code === RpcErrorCode.NotFound) throw resourceNotFound();
      throw e;
    }
  }
}
