import type { ApplicationSubmitted } from '@cbec/domain';
import type { EventStore, RecordedEvent } from '@cbec/event-store';
import type { AnyIntegrationEvent } from '../contract/integration-events';
import { CaseFacts, caseFactsOf, needsCaseFacts, toIntegrationEvent } from './to-integration-event';

/**
 * Feeds `toIntegrationEvent` the case facts it needs: from the ApplicationSubmitted events it has seen,
 * or, for a case submitted before the subscriber's checkpoint, by reading the first event of the case's
 * stream. A bounded LRU keeps memory flat on a long log.
 */
export class IntegrationEventMapper {
  private readonly facts = new Map<string, CaseFacts>();

  constructor(
    private readonly store: Pick<EventStore, 'readStream'>,
    private readonly capacity = 50_000,
  ) {}

  async map(event: RecordedEvent): Promise<AnyIntegrationEvent | null> {
    if (event.type === 'ApplicationSubmitted') {
      this.remember(caseFactsOf(event.data as ApplicationSubmitted['data']));
    } else if (needsCaseFacts(event)) {
      const applicationId = (event.data as { applicationId?: unknown }).applicationId;
      if (typeof applicationId === 'string' && !this.facts.has(applicationId)) {
        await this.load(event.streamId, applicationId);
      }
    }
    return toIntegrationEvent(event, (id) => this.lookup(id));
  }

  private lookup(applicationId: string): CaseFacts | undefined {
    const found = this.facts.get(applicationId);
    if (found) {
      this.facts.delete(applicationId);
      this.facts.set(applicationId, found);
    }
    return found;
  }

  private remember(facts: CaseFacts): void {
    this.facts.delete(facts.applicationId);
    this.facts.set(facts.applicationId, facts);
    if (this.facts.size > this.capacity) {
      const oldest = this.facts.keys().next().value;
      if (oldest !== undefined) this.facts.delete(oldest);
    }
  }

  private async load(streamId: string, applicationId: string): Promise<void> {
    for await (const first of this.store.readStream(streamId, { fromVersion: 0, toVersion: 0 })) {
      if (first.type === 'ApplicationSubmitted') {
        const submitted = first.data as ApplicationSubmitted['data'];
        if (submitted.applicationId === applicationId) this.remember(caseFactsOf(submitted));
      }
      break;
    }
  }
}
