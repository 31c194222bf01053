import type { RecordedEvent } from './event-store.port';

/**
 * Turns the data of `type` at `fromSchemaVersion` into the shape of `fromSchemaVersion + 1`.
 * It receives the event as read so far (stored or partly upcast) and returns the new data only:
 * the stored bytes and their hash never change.
 */
export type Upcaster = (data: unknown, event: Readonly<RecordedEvent>) => unknown;

/** (type, fromSchemaVersion) -> the step to the next version; applied on every read path. */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Map<number, Upcaster>>();

  register(type: string, fromSchemaVersion: number, upcast: Upcaster): this {
    if (typeof type !== 'string' || type.length === 0) throw new TypeError('upcaster: type must be a non-empty string');
    if (!Number.isInteger(fromSchemaVersion) || fromSchemaVersion < 1) {
      throw new TypeError(`upcaster for ${type}: fromSchemaVersion must be an integer >= 1, got ${String(fromSchemaVersion)}`);
    }
    let byVersion = this.steps.get(type);
    if (!byVersion) {
      byVersion = new Map();
      this.steps.set(type, byVersion);
    }
    if (byVersion.has(fromSchemaVersion)) {
      throw new Error(`upcaster for ${type} v${fromSchemaVersion} -> v${fromSchemaVersion + 1} is registered twice`);
    }
    byVersion.set(fromSchemaVersion, upcast);
    return this;
  }

  get isEmpty(): boolean {
    return this.steps.size === 0;
  }

  /** The event in its current shape (the same object when no upcaster applies). */
  upcast<T extends RecordedEvent>(event: T): T {
    const byVersion = this.steps.get(event.type);
    if (!byVersion) return event;
    let current = event;
    for (let step = byVersion.get(current.schemaVersion); step; step = byVersion.get(current.schemaVersion)) {
      current = { ...current, data: step(current.data, current), schemaVersion: current.schemaVersion + 1 };
    }
    return current;
  }
}
