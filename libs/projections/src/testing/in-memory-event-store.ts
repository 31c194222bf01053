import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventHandler,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionState,
  WrongExpectedVersion,
} from '@cbec/event-store';

/**
 * A tiny in-memory EventStore for the projections' specs: the port's conventions (empty stream at -1,
 * global positions from 1, exclusive checkpoints, handler awaited event by event, a throw fails the
 * subscription). The real adapters live in libs/event-store and pass its contract suite.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly appended = new EventEmitter();
  private closed = false;

  constructor() {
    this.appended.setMaxListeners(0);
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) throw new Error('event store is closed');
    const stream = this.streams.get(streamId) ?? [];
    const actual = stream.length - 1;
    const e = options.expectedVersion;
    const ok = e === 'any' || (e === 'no-stream' ? actual === -1 : e === 'stream-exists' ? actual >= 0 : e === actual);
    if (!ok) throw new WrongExpectedVersion(streamId, e, actual);
    for (const event of events) {
      const prevHash = stream.length ? stream[stream.length - 1].hash : '0'.repeat(64);
      const recorded: RecordedEvent = {
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion ?? 1,
        data: structuredClone(event.data),
        metadata: structuredClone(event.metadata),
        streamId,
        version: stream.length,
        globalPosition: this.log.length + 1,
        recordedAt: event.metadata.occurredAt,
        prevHash,
        hash: createHash('sha256').update(prevHash + JSON.stringify(event)).digest('hex'),
      };
      stream.push(recorded);
      this.log.push(recorded);
    }
    this.streams.set(streamId, stream);
    this.appended.emit('append');
    return { nextExpectedVersion: stream.length - 1, lastGlobalPosition: this.log.length };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    for (const event of [...(this.streams.get(streamId) ?? [])]) {
      if (options.fromVersion !== undefined && event.version < options.fromVersion) continue;
      if (options.toVersion !== undefined && event.version > options.toVersion) continue;
      yield event;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const from = options.fromPosition ?? 0;
    for (let i = from; i < this.log.length; i++) {
      const event = this.log[i];
      if (options.toPosition !== undefined && event.globalPosition > options.toPosition) return;
      if (matches(event, options.filter)) yield event;
    }
  }

  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription {
    let state: SubscriptionState = 'catching-up';
    let position = options.fromCheckpoint ?? 0;
    let error: unknown;
    let stopped = false;
    let wake: (() => void) | null = null;
    const onAppend = (): void => wake?.();
    this.appended.on('append', onAppend);
    const done = (async () => {
      try {
        while (!stopped) {
          while (!stopped && position < this.log.length) {
            const event = this.log[position];
            if (matches(event, options.filter)) await handler(event);
            position = event.globalPosition;
          }
          if (stopped) break;
          state = 'live';
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (stopped || position < this.log.length) resolve();
          });
          wake = null;
        }
        state = 'stopped';
      } catch (e) {
        error = e;
        state = 'failed';
      } finally {
        this.appended.off('append', onAppend);
      }
    })();
    return {
      get state() {
        return state;
      },
      get error() {
        return error;
      },
      get position() {
        return position;
      },
      done,
      async stop() {
        stopped = true;
        wake?.();
        await done;
      },
    };
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function matches(event: RecordedEvent, filter: EventFilter | undefined): boolean {
  if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter?.streamPrefixes && !filter.streamPrefixes.some((p) => event.streamId.startsWith(p))) return false;
  return true;
}
