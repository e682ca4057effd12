import type { EventEmitter } from 'node:events';
import { BrokerBlockedError } from './errors';

/** A connection that says when the broker blocks it (`blocked` event) and whether it is now. */
export interface BlockSource extends Pick<EventEmitter, 'once' | 'off'> {
  readonly blocked: string | undefined;
}

/**
 * Waits for `work` (a channel being opened, say) unless the broker blocks the connection or
 * `timeoutMs` passes first. RabbitMQ stops reading a blocked connection altogether, so a
 * channel.open sent just before the block stalls until the alarm clears: callers must hear of
 * the block now, not then. `work` itself carries on, and whoever comes later may still use it.
 */
export function unlessBlocked<T>(source: BlockSource, work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  if (source.blocked !== undefined) return Promise.reject(new BrokerBlockedError(source.blocked));
  let timer: NodeJS.Timeout | undefined;
  let onBlocked: ((reason: string) => void) | undefined;
  const refused = new Promise<never>((_, reject) => {
    onBlocked = (reason: string) => reject(new BrokerBlockedError(reason));
    source.once('blocked', onBlocked);
    timer = setTimeout(() => reject(new Error(`${what} not done within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, refused]).finally(() => {
    clearTimeout(timer);
    if (onBlocked) source.off('blocked', onBlocked);
  });
}
