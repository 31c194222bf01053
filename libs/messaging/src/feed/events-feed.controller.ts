import { BeforeApplicationShutdown, Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiProduces, ApiQuery } from '@nestjs/swagger';
import type { EventStore } from '@cbec/event-store';
// The errors the rest of the API throws, so the problem filter answers with the same codes (docs/api.md).
import { ApiDoes, ApiProblems, AUTH_PROBLEMS, BadRequest, Forbidden, MAX_FEED_STREAMS_PER_USER, Unauthorized, WorkflowError } from '@cbec/platform';
import { INTEGRATION_EVENT_TYPES, IntegrationEventType, isIntegrationEventType } from '../contract/integration-events';
import { IntegrationEventMapper } from '../mapping/integration-event-mapper';
import { domainTypesFor } from '../mapping/to-integration-event';

/** What the feed uses of the request (Fastify's, with the actor the JWT guard set). */
interface FeedRequest {
  actor?: { user: string; unit: string; role: string };
  headers: IncomingHttpHeaders;
}
/**
 * What the feed uses of Fastify's reply: the stream is written to the Node response itself, after
 * `hijack()` has told Fastify (and Nest) that this handler answers on its own, so neither sends anything
 * when the handler returns, nor later.
 */
interface FeedReply {
  hijack(): unknown;
  raw: ServerResponse;
}

/** Departments and auditors read the feed; applicants do not (it carries every enterprise's awards). */
export function mayReadFeed(unit: string): boolean {
  return ['FIN', 'COM', 'CUS', 'PBC', 'AUDIT'].includes(unit) || /^CTY-[A-Za-z0-9]+$/.test(unit);
}

export const FEED_HEARTBEAT_MS = 15_000;

/** The user holds MAX_FEED_STREAMS_PER_USER streams open already (docs/limits.md, "## Sizes"). */
export class TooManyStreams extends WorkflowError {
  readonly code = 'too-many-streams';
  readonly httpStatus = 429;
  readonly limit = MAX_FEED_STREAMS_PER_USER;
  constructor(user: string) {
    super(`${user} holds ${MAX_FEED_STREAMS_PER_USER} event streams open already, the most one user may: close one first`);
  }
}

/**
 * GET /api/v1/events/stream: the integration-event contract as server-sent events (`id:` = global
 * position, `event:` = contract type, `data:` = the JSON envelope). Resumable with Last-Event-ID
 * (or `?after=<position>` for a first connection that cannot set headers; the header wins), filterable with `?types=AwardApproved.v1,AwardDisbursed.v1`. Each connection is a store
 * subscription of its own, stopped when the client goes away; a slow client slows only its own
 * subscription (writes wait for `drain`). On shutdown the server ends every open stream (clients reconnect
 * with Last-Event-ID), so stopping the server never waits for a client to leave.
 */
@Controller('events')
export class EventsFeedController implements BeforeApplicationShutdown {
  /** Ends each open stream. */
  private readonly open = new Set<() => void>();
  /** Open streams by user (`unit:user`), for MAX_FEED_STREAMS_PER_USER. */
  private readonly openByUser = new Map<string, number>();

  constructor(@Inject('EVENT_STORE') private readonly store: EventStore) {}

  /** Before the HTTP server closes (it would wait for every open connection) and before the store closes. */
  beforeApplicationShutdown(): void {
    for (const end of [...this.open]) end();
  }

  @Get('stream')
  @ApiDoes('The integration-event contract as server-sent events, resumable with Last-Event-ID', {
    callers: "the departments (FIN, COM, CUS, PBC, CTY-*) and AUDIT; not an APPLICANT (the feed carries every enterprise's awards)",
    description:
      '`id:` is the global position, `event:` the contract type, `data:` the JSON envelope. Resume with the `Last-Event-ID` header (or `?after=<position>` on a first connection; the header wins); filter with `?types=AwardApproved.v1,AwardDisbursed.v1`.',
  })
  @ApiBearerAuth()
  @ApiQuery({ name: 'types', required: false, description: 'comma-separated contract types; default: all', example: 'AwardApproved.v1,AwardDisbursed.v1' })
  @ApiQuery({ name: 'after', required: false, type: 'integer', description: 'a global position: the feed starts after it (Last-Event-ID wins)', example: 118 })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'the id: of the last event received; the feed resumes after it' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'a stream of server-sent events, open until the client or the server ends it' })
  @ApiProblems({
    400: '`types` names an unknown contract type, or `after`/`Last-Event-ID` is not a global position',
    ...AUTH_PROBLEMS,
    403: 'an APPLICANT (or any unit that is not a department or AUDIT) may not read the feed',
    429: `the user holds ${MAX_FEED_STREAMS_PER_USER} event streams open already (too-many-streams)`,
  })
  stream(@Req() req: FeedRequest, @Res() reply: FeedReply, @Query('types') typesParam?: string, @Query('after') afterParam?: string): void {
    const actor = req.actor;
    if (!actor) throw new Unauthorized('a bearer token is required to read the event feed');
    if (!mayReadFeed(actor.unit)) {
      throw new Forbidden(`unit ${actor.unit} may not read the event feed: departments (FIN, COM, CUS, PBC, CTY-*) and AUDIT may`);
    }
    const types = parseTypes(typesParam);
    // EventSource sends Last-Event-ID on reconnect while the URL keeps its ?after: the header is newer.
    const fromHeader = parseLastEventId(req.headers['last-event-id']);
    const from = fromHeader ?? parseAfter(afterParam) ?? 0;
    const user = `${actor.unit}:${actor.user}`;
    const holding = this.openByUser.get(user) ?? 0;
    if (holding >= MAX_FEED_STREAMS_PER_USER) throw new TooManyStreams(`${actor.unit} "${actor.user}"`);
    this.openByUser.set(user, holding + 1);

    reply.hijack();
    const res = reply.raw;
    // Counted until the response closes (the client left, or the feed ended it).
    res.once('close', () => {
      const left = (this.openByUser.get(user) ?? 1) - 1;
      if (left > 0) this.openByUser.set(user, left);
      else this.openByUser.delete(user);
    });
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 2000\n: cbec integration events after global position ${from}\n\n`);

    let closed = false;
    const wanted = new Set<string>(types);
    const mapper = new IntegrationEventMapper(this.store);
    const subscription = this.store.subscribe(
      { fromCheckpoint: from, filter: { eventTypes: domainTypesFor(types) }, name: `sse:${actor.unit}:${actor.user}` },
      async (event) => {
        if (closed) return;
        const contract = await mapper.map(event);
        if (!contract || !wanted.has(contract.type)) return;
        const ok = res.write(`id: ${contract.globalPosition}\nevent: ${contract.type}\ndata: ${JSON.stringify(contract)}\n\n`);
        if (!ok) await drainedOrClosed(res);
      },
    );
    const heartbeat = setInterval(() => {
      if (!closed) res.write(': keep-alive\n\n');
    }, FEED_HEARTBEAT_MS);
    const end = (): void => {
      void subscription.stop();
      if (!res.writableEnded) res.end();
    };
    this.open.add(end);
    // The response closes when the client goes away (or once the feed has ended it).
    res.on('close', () => {
      closed = true;
      this.open.delete(end);
      clearInterval(heartbeat);
      void subscription.stop();
    });
    void subscription.done.then(() => {
      clearInterval(heartbeat);
      if (subscription.state === 'failed' && !closed) {
        const message = (subscription.error as Error)?.message ?? String(subscription.error);
        res.write(`event: feed-error\ndata: ${JSON.stringify({ error: message, position: subscription.position })}\n\n`);
      }
      if (!res.writableEnded) res.end();
    });
  }
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.removeListener('drain', done);
      res.removeListener('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

export function parseTypes(param: string | undefined): IntegrationEventType[] {
  if (param === undefined || param.trim() === '') return [...INTEGRATION_EVENT_TYPES];
  const requested = param
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = requested.filter((t) => !isIntegrationEventType(t));
  if (unknown.length > 0) {
    throw new BadRequest(`types: unknown ${unknown.map((t) => `"${t}"`).join(', ')}; the contract has ${INTEGRATION_EVENT_TYPES.join(', ')}`);
  }
  return requested as IntegrationEventType[];
}

/** The Last-Event-ID header as a global position; undefined when absent or empty (EventSource's first connection). */
export function parseLastEventId(header: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(header) ? header[header.length - 1] : header;
  if (raw === undefined || raw.trim() === '') return undefined;
  return globalPosition('Last-Event-ID', raw);
}

/** `?after=<position>`: given, it must be a global position (an empty or bad one is a 400, never 0). */
export function parseAfter(param: string | undefined): number | undefined {
  return param === undefined ? undefined : globalPosition('after', param);
}

function globalPosition(name: string, raw: string): number {
  const text = raw.trim();
  if (!/^(0|[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new BadRequest(`${name}: "${raw}" is not a global position (a whole number from an earlier id: line)`);
  }
  return Number(text);
}
