import { Injectable } from '@nestjs/common';
import { PayloadOf, RpcResponses, RpcRoutingKey } from '@asyncops/contracts';
import { RpcClient, RpcError } from '@asyncops/messaging';
import { GatewayConfig } from '../../config';
import { ServiceUnavailableError } from './gateway-errors';

export interface GatewayRpcOptions {
  /** Bulk writes take longer than a read: the call waits at least this long (never less than RPC_TIMEOUT_MS). */
  minTimeoutMs?: number;
  /**
   * Stable across retries of one logical request (an Idempotency-Key's execution id): the service
   * answers a repeat from its reply store instead of doing the work twice.
   */
  requestKey?: string;
}

/**
 * The one way the gateway asks a service. RpcErrors (NOT_FOUND, CONFLICT...) pass through for each
 * surface's filter to map; anything else means the broker could not be used and becomes a 503 with
 * Retry-After, so a broker outage is never reported as a bug.
 */
@Injectable()
export class GatewayRpc {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: GatewayConfig,
  ) {}

  async call<K extends RpcRoutingKey>(key: K, payload: PayloadOf<K>, options: GatewayRpcOptions = {}): Promise<RpcResponses[K]> {
    const timeoutMs = Math.max(this.config.RPC_TIMEOUT_MS, options.minTimeoutMs ?? 0);
    try {
      return await (options.requestKey === undefined
        ? this.rpc.request(key, payload, timeoutMs)
        : this.rpc.request(key, payload, timeoutMs, { messageId: `${key}:${options.requestKey}` }));
    } catch (e) {
      if (e instanceof RpcError) throw e;
      throw new ServiceUnavailableError(this.config.RETRY_AFTER_SECONDS, e);
    }
  }
}
