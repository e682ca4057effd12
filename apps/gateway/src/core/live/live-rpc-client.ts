import { Injectable } from '@nestjs/common';
import { PayloadOf, RpcResponses, RpcRoutingKey } from '@asyncops/contracts';
import { RpcClient, RpcError } from '@asyncops/messaging';
import { GatewayConfig } from '../../config';
import { ServiceUnavailableError } from '../errors/gateway-errors';

/**
 * Tracker request/reply for live events and webhooks. As for operations, RpcErrors pass through
 * to the problem filter and a broker failure becomes a 503.
 */
@Injectable()
export class LiveRpcClient {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: GatewayConfig,
  ) {}

  async call<K extends RpcRoutingKey>(key: K, payload: PayloadOf<K>): Promise<RpcResponses[K]> {
    try {
      return await this.rpc.request(key, payload, this.config.RPC_TIMEOUT_MS);
    } catch (e) {
      if (e instanceof RpcError) throw e;
      throw new ServiceUnavailableError(this.config.RETRY_AFTER_SECONDS, e);
    }
  }
}
