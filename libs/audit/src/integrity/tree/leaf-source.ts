import type { EventStore } from '@cbec/event-store';
import Database from 'better-sqlite3';
import { leafHash } from './merkle';

/** What a leaf is made of: the event's hash, its global position and its recorded time, as stored. */
export interface LeafFacts {
  globalPosition: number;
  hash: string;
  recordedAt: string;
}

/** The log as the tree reads it: its events' leaf facts in global order, and one event by position. */
export interface LeafSource {
  read(fromPosition: number): Iterable<LeafFacts> | AsyncIterable<LeafFacts>;
  /** The hash of the event at a global position, null when there is none (only where `canLookUp`). */
  eventHashAt(position: number): string | null;
  readonly canLookUp: boolean;
  close(): void;
}

export const leafOf = (f: LeafFacts): Buffer => leafHash(f.hash, f.globalPosition, f.recordedAt);

/** A SQLite log, read on a read-only connection of its own (the stored text of `recorded_at`, untouched). */
export function sqliteLeafSource(file: string): LeafSource {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const rows = db.prepare('SELECT global_position, hash, recorded_at FROM events WHERE global_position > ? ORDER BY global_position').raw(true);
  const one = db.prepare('SELECT hash FROM events WHERE global_position = ?').pluck();
  return {
    *read(fromPosition: number) {
      for (const [globalPosition, hash, recordedAt] of rows.iterate(fromPosition) as IterableIterator<[number, string, string]>) {
        yield { globalPosition, hash, recordedAt };
      }
    },
    eventHashAt: (position) => (one.get(position) as string | undefined) ?? null,
    canLookUp: true,
    close: () => db.close(),
  };
}

/** Any other store (EventStoreDB): through the port, stored forms. */
export function storeLeafSource(store: Pick<EventStore, 'readAll'>): LeafSource {
  return {
    async *read(fromPosition: number) {
      for await (const e of store.readAll({ fromPosition, upcast: false })) yield { globalPosition: e.globalPosition, hash: e.hash, recordedAt: e.recordedAt };
    },
    eventHashAt: () => null,
    canLookUp: false,
    close: () => undefined,
  };
}

export function leafSourceFor(store: EventStore): LeafSource {
  const file = (store as { file?: unknown }).file;
  return typeof file === 'string' ? sqliteLeafSource(file) : storeLeafSource(store);
}
