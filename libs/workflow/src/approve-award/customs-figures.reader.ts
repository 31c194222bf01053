import { Inject, Injectable } from '@nestjs/common';
import { customsDecider, CustomsState, customsStreamId, foldCustoms, CustomsEvent } from '@cbec/domain';
import { EventStore } from '@cbec/event-store';
import { EVENT_STORE } from '@cbec/platform';

/** One customs record in the shape of the policy engine's input, its `source` naming the event that set it. */
export interface CustomsRecordInput {
  year: number;
  uscc: string;
  source: string;
  export9610Usd: string;
  cbecImportUsd: string;
  cbecExportUsd: string;
  totalExportUsd: string;
  platformLocalOnlineTradeUsd: string | null;
}

export const CUSTOMS_SOURCE_PREFIX = 'customs-event:';

interface CachedYear {
  version: number;
  state: CustomsState;
  /** Event id of each stream revision (index = version). */
  eventIds: string[];
}

/**
 * The customs statistics in force (海关统计数据), read from the `customs-<year>` streams — never from the
 * applicant's claim. Each stream is folded once and then only its new events are read (a stream only grows).
 */
@Injectable()
export class CustomsFiguresReader {
  private readonly cache = new Map<number, CachedYear>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async year(year: number): Promise<CachedYear> {
    const cached = this.cache.get(year) ?? { version: -1, state: customsDecider.initialState(), eventIds: [] };
    let { version, state } = cached;
    const eventIds = [...cached.eventIds];
    const fresh: CustomsEvent[] = [];
    for await (const event of this.store.readStream(customsStreamId(year), { fromVersion: version + 1 })) {
      fresh.push({ type: event.type, data: event.data } as CustomsEvent);
      eventIds[event.version] = event.eventId;
      version = event.version;
    }
    // One fold for what is new: linear in the stream, where evolving event by event copies the figures each time.
    if (fresh.length > 0) state = foldCustoms(state, fresh);
    const read = { version, state, eventIds };
    this.cache.set(year, read);
    return read;
  }

  /** Which of `years` have customs statistics imported (a `customs-<year>` stream with an event). */
  async importedYears(years: readonly number[]): Promise<number[]> {
    const imported: number[] = [];
    for (const year of years) if ((await this.year(year)).version >= 0) imported.push(year);
    return imported;
  }

  /** The records in force for `usccs` in `years`; a (year, uscc) without a record is simply absent. */
  async records(usccs: readonly string[], years: readonly number[]): Promise<CustomsRecordInput[]> {
    const out: CustomsRecordInput[] = [];
    for (const year of years) {
      const { state, eventIds } = await this.year(year);
      for (const uscc of usccs) {
        const f = state.inForce[uscc];
        if (!f) continue;
        out.push({
          year,
          uscc,
          source: `${CUSTOMS_SOURCE_PREFIX}${eventIds[f.eventIndex]}`,
          export9610Usd: f.export9610Usd,
          cbecImportUsd: f.cbecImportUsd,
          cbecExportUsd: f.cbecExportUsd,
          totalExportUsd: f.totalExportUsd,
          platformLocalOnlineTradeUsd: f.platformLocalOnlineTradeUsd,
        });
      }
    }
    return out;
  }
}
