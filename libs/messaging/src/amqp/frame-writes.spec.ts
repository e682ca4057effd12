import { PassThrough } from 'node:stream';
import type * as amqp from 'amqplib';
import { coalesceFrameWrites } from './frame-writes';

describe('coalesceFrameWrites', () => {
  it('corks the socket for exactly one muxer pass', () => {
    const socket = new PassThrough();
    const corkedDuringPass: number[] = [];
    const muxer = { _readIncoming: () => corkedDuringPass.push(socket.writableCorked) };
    expect(coalesceFrameWrites({ connection: { muxer, stream: socket } } as unknown as amqp.ChannelModel)).toBe(true);
    muxer._readIncoming();
    expect(corkedDuringPass).toEqual([1]);
    expect(socket.writableCorked).toBe(0);
  });

  it('uncorks even when the pass throws', () => {
    const socket = new PassThrough();
    const muxer = {
      _readIncoming: () => {
        throw new Error('boom');
      },
    };
    coalesceFrameWrites({ connection: { muxer, stream: socket } } as unknown as amqp.ChannelModel);
    expect(() => muxer._readIncoming()).toThrow('boom');
    expect(socket.writableCorked).toBe(0);
  });

  it('changes nothing when amqplib is not shaped as expected', () => {
    expect(coalesceFrameWrites({} as amqp.ChannelModel)).toBe(false);
    expect(coalesceFrameWrites({ connection: { muxer: {}, stream: new PassThrough() } } as unknown as amqp.ChannelModel)).toBe(false);
  });
});
