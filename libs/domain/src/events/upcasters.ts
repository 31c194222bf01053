/**
 * The schema versions of the domain's events and the steps that read an older stored shape as the current
 * one. The store applies them on every read (the stored bytes and their hash never change), so a reader
 * never guesses an old shape with a fallback of its own.
 */

/** One step: the data of `type` at `fromSchemaVersion` in the shape of `fromSchemaVersion + 1`. */
export interface EventUpcaster {
  type: string;
  fromSchemaVersion: number;
  upcast(data: Record<string, unknown>): Record<string, unknown>;
}

/** The version each event type is written at (1 when not listed). */
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = Object.freeze({ AwardApproved: 2 });

export const schemaVersionOf = (type: string): number => EVENT_SCHEMA_VERSIONS[type] ?? 1;

export const EVENT_UPCASTERS: readonly EventUpcaster[] = Object.freeze([
  {
    // v2 adds the 公示 period. An award approved before publicity existed has none and is not retro-blocked;
    // one stored before `approvableCny` existed carried "after caps" in `computedCny`.
    type: 'AwardApproved',
    fromSchemaVersion: 1,
    upcast: (data) => ({ ...data, approvableCny: data.approvableCny ?? data.computedCny, publicity: null }),
  },
]);
