import type { AnyIntegrationEvent } from '@cbec/messaging';
import type { ReportingDb } from '../reports/reporting-db';
import type { SourceLogger } from './kafka-report-source';

export interface SseSourceConfig {
  /** e.g. http://127.0.0.1:3000/api/v1/events/stream */
  feedUrl: string;
  /** A department or AUDIT bearer token (`cli token`). */
  token: string;
}

export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

/** Incremental text/event-stream parser (WHATWG): feed it chunks, get complete frames back. */
export class SseParser {
  private rest = '';
  private frame: { id?: string; event?: string; data: string[] } = { data: [] };

  push(chunk: string): SseFrame[] {
    const out: SseFrame[] = [];
    const text = this.rest + chunk;
    const lines = text.split(/\r\n|\r|\n/);
    this.rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (this.frame.data.length > 0) out.push({ id: this.frame.id, event: this.frame.event, data: this.frame.data.join('\n') });
        this.frame = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.frame.data.push(value);
      else if (field === 'id') this.frame.id = value;
      else if (field === 'event') this.frame.event = value;
    }
    return out;
  }
}

/**
 * Reads the embedded server-sent-events feed when there is no Kafka: resumes with Last-Event-ID from
 * the position stored in the same transaction as the rows, reconnects with backoff.
 */
export class SseReportSource {
  private abort?: AbortController;
  private running = false;
  private received = 0;
  private lastError?: string;
  private loop?: Promise<void>;
  onEvents?: (events: AnyIntegrationEvent[]) => void;

  constructor(
    private readonly db: ReportingDb,
    private readonly config: SseSourceConfig,
    private readonly logger: SourceLogger,
  ) {}

  status(): Record<string, unknown> {
    return {
      source: 'sse',
      feedUrl: this.config.feedUrl,
      position: this.db.ssePosition(this.config.feedUrl),
      received: this.received,
      lastError: this.lastError ?? null,
    };
  }

  async start(): Promise<void> {
    this.running = true;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let backoff = 250;
    while (this.running) {
      this.abort = new AbortController();
      const from = this.db.ssePosition(this.config.feedUrl);
      try {
        const res = await fetch(this.config.feedUrl, {
          headers: { accept: 'text/event-stream', authorization: `Bearer ${this.config.token}`, 'last-event-id': String(from) },
          signal: this.abort.signal,
        });
        if (!res.ok || !res.body) {
          const body = await res.text().catch(() => '');
          throw new Error(`feed answered ${res.status}${body ? `: ${body.slice(0, 200)}` : ''}`);
        }
        this.logger.info(`reading ${this.config.feedUrl} after global position ${from}`);
        backoff = 250;
        this.lastError = undefined;
        const parser = new SseParser();
        const decoder = new TextDecoder();
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          const frames = parser.push(decoder.decode(chunk, { stream: true }));
          const events = frames.filter((f) => f.data).map((f) => JSON.parse(f.data) as AnyIntegrationEvent);
          if (events.length === 0) continue;
          const last = events[events.length - 1].globalPosition;
          this.db.applyBatch(events, { kind: 'sse', feed: this.config.feedUrl, globalPosition: last });
          this.received += events.length;
          this.onEvents?.(events);
        }
        if (this.running) throw new Error('feed closed the stream');
      } catch (e) {
        if (!this.running) break;
        this.lastError = (e as Error).message;
        this.logger.warn(
          `feed ${this.config.feedUrl}: ${this.lastError}; reconnecting in ${backoff} ms from position ${this.db.ssePosition(this.config.feedUrl)}`,
        );
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    await this.loop;
  }
}
