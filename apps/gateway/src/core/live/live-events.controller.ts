import { Controller, Get, Headers, Logger, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LiveEventsRpc, OperationEventsPage } from '@asyncops/contracts';
import { AuthenticatedClientId } from '../auth/authenticated-client.decorator';
import { GatewayConfig } from '../../config';
import { GatewayError, ServiceUnavailableError } from '../errors/gateway-errors';
import { WaitHandle } from '../tracker/operation-waiter';
import { ApiProblemResponses } from '../errors/api-problem-responses';
import { EVENTS_PAGE_SIZE, followEvents } from './event-stream';
import { LiveEventHub } from './live-event-hub';
import { LiveEventsQueryDto } from './live-events.dto';
import { GatewayRpc } from '../errors/gateway-rpc';
import { formatPreamble, parseLastEventId } from './sse';

export const HEARTBEAT_MS = 15_000;

/** The client already holds its share of this process's streams. */
export class TooManyStreamsError extends GatewayError {
  constructor(limit: number, retryAfterSeconds: number) {
    super({
      code: 'TOO_MANY_STREAMS',
      status: 429,
      title: 'Too many open streams',
      detail: `This client already has ${limit} live event streams open; close one (or reuse it) before opening another.`,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

/** Resolves when the chunk is flushed or the client is gone, so a slow reader never grows memory. */
function writeChunk(res: Response, chunk: string): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

@ApiTags('events')
@ApiBearerAuth('bearer')
@Controller('api/v1/events')
export class LiveEventsController {
  private readonly log = new Logger(LiveEventsController.name);

  constructor(
    private readonly rpc: GatewayRpc,
    private readonly hub: LiveEventHub,
    private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Stream the changes of your operations (Server-Sent Events)',
    description:
      'Each event is `event: operation.changed` with `id:` a global sequence and `data:` the change as JSON. Reconnect with `Last-Event-ID` (or `lastEventId`) to receive every later change exactly once. A comment is sent every 15 s as a heartbeat.',
    operationId: 'streamOperationEvents',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id.' })
  @ApiOkResponse({ description: 'A text/event-stream that stays open.', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiProblemResponses(400, 401, 429, 500, 503)
  async stream(
    @Query() query: LiveEventsQueryDto,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @AuthenticatedClientId() clientId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const resumeAfter = parseLastEventId(lastEventIdHeader, query.lastEventId);
    const read = (afterSeq?: number): Promise<OperationEventsPage> =>
      this.rpc.call(LiveEventsRpc.ListOperationEvents, { ownerId: clientId, afterSeq, operationId: query.operationId, jobType: query.jobType, limit: EVENTS_PAGE_SIZE });

    // Registered before the first read, so a change committed in between still wakes the stream.
    const wake = this.hub.open(clientId);
    if (wake === 'client-full') throw new TooManyStreamsError(this.config.LIVE_STREAMS_PER_CLIENT, HEARTBEAT_MS / 1000);
    if (!(wake instanceof WaitHandle)) throw new ServiceUnavailableError(this.config.RETRY_AFTER_SECONDS);
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    try {
      // Failing here still answers with a problem document: nothing has been written yet.
      const start = resumeAfter ?? (await read()).head;
      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      // no-transform keeps compression middleware from buffering the stream.
      res.setHeader('Cache-Control', 'no-cache, no-transform');
      res.setHeader('Connection', 'keep-alive');
      res.setHeader('X-Accel-Buffering', 'no');
      res.flushHeaders();
      req.socket.setKeepAlive(true);
      req.socket.setTimeout(0);
      await writeChunk(res, formatPreamble());
      this.log.log({ msg: 'live event stream opened', event: 'live-stream-opened', ownerId: clientId, resumeAfter: start });
      const last = await followEvents(start, {
        read: (after) => read(after),
        write: (chunk) => writeChunk(res, chunk),
        wake,
        heartbeatMs: HEARTBEAT_MS,
        signal: aborted.signal,
      }).catch((e: Error) => {
        // Headers are gone: end the stream and let the client resume from its Last-Event-ID.
        this.log.warn({ msg: 'live event stream ended by an error; the client will resume', ownerId: clientId, error: e.message });
        return undefined;
      });
      this.log.log({ msg: 'live event stream closed', event: 'live-stream-closed', ownerId: clientId, lastEventId: last ?? null });
    } finally {
      this.hub.unregister(clientId, wake);
      if (res.headersSent && !res.writableEnded) res.end();
    }
  }
}
