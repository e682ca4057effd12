import type { Writable } from 'node:stream';
import type * as amqp from 'amqplib';

interface AmqplibInternals {
  connection?: { muxer?: { _readIncoming?: () => void }; stream?: Writable };
}

/**
 * amqplib queues each frame (a small message is one) per channel and a muxer moves them to the
 * socket, writing each with a write of its own: a system call, and a wake-up of the broker, per
 * message. Corking the socket for the length of one muxer pass sends the frames that pass drains
 * as one `writev` (the socket's high-water mark still bounds each pass, so back-pressure is kept).
 * Returns false, changing nothing, when amqplib's internals are not as expected.
 */
export function coalesceFrameWrites(model: amqp.ChannelModel): boolean {
  const inner = (model as unknown as AmqplibInternals).connection;
  const muxer = inner?.muxer;
  const socket = inner?.stream;
  const readIncoming = muxer?._readIncoming;
  if (!muxer || typeof readIncoming !== 'function' || typeof socket?.cork !== 'function' || typeof socket.uncork !== 'function') return false;
  muxer._readIncoming = function corked(this: unknown) {
    socket.cork();
    try {
      readIncoming.call(this);
    } finally {
      socket.uncork();
    }
  };
  return true;
}
