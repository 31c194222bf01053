import { createHash } from 'node:crypto';
import {
  AppendOptions,
  AppendResult,
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
 * A minimal in-memory EventStore for the workflow's unit specs (the real adapters live in
 * libs/event-store and pass its contract suite). Same version conventions: empty stream at -1.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  /** Test hook: called before each append; throw from it to simulate a crash at that point. */
  beforeAppend?: (streamId: string, events: NewEvent[]) => void;

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.beforeAppend?.(streamId, events);
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
        recordedAt: new Date(0).toISOString(),
        prevHash,
        hash: createHash('sha256').update(prevHash + JSON.stringify(event)).digest('hex'),
      };
      stream.push(recorded);
      this.log.push(recorded);
    }
    this.streams.set(streamId, stream);
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
    for (const event of [...this.log]) {
      if (event.globalPosition <= (options.fromPosition ?? 0)) continue;
      if (options.toPosition !== undefined && event.globalPosition > options.toPosition) continue;
      const f = options.filter;
      if (f?.eventTypes && !f.eventTypes.includes(event.type)) continue;
      if (f?.streamPrefixes && !f.streamPrefixes.some((p) => event.streamId.startsWith(p))) continue;
      yield event;
    }
  }

  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription {
    let state: SubscriptionState = 'catching-up';
    let position = options.fromCheckpoint ?? 0;
    let error: unknown;
    let stopped = false;
    const done = (async () => {
      while (!stopped) {
        let progressed = false;
        for await (const event of this.readAll({ fromPosition: position, filter: options.filter })) {
          if (stopped) break;
          try {
            await handler(event);
          } catch (e) {
            error = e;
            state = 'failed';
            return;
          }
          position = event.globalPosition;
          progressed = true;
        }
        if (!progressed) {
          state = 'live';
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      state = 'stopped';
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
        await done;
      },
    };
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  async close(): Promise<void> {}
}
